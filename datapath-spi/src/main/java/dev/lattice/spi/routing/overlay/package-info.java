/**
 * The VXLAN overlay route distributors share: which remote nodes it reaches ({@link
 * dev.lattice.spi.routing.overlay.OverlayPlan}: nodes outside this node's subnet, or all), and the
 * device with its forwarding entries ({@link dev.lattice.spi.routing.overlay.VxlanOverlay}). A
 * helper, not a contract: the static and BGP distributors use it so that a swap between them
 * hands the device over instead of rebuilding it.
 */
package dev.lattice.spi.routing.overlay;
