/** Linux kernel access for every datapath: native calls, netlink, namespaces, firewalls. */
package dev.lattice.kernel;
