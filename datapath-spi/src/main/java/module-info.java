/**
 * The Lattice datapath SPI: plugin contracts and the immutable values they exchange.
 * A plugin bundle needs this module and nothing else of Lattice.
 */
module dev.lattice.spi {
    exports dev.lattice.spi.net;
    exports dev.lattice.spi.node;
    exports dev.lattice.spi.pod;
    exports dev.lattice.spi.routing;
    exports dev.lattice.spi.routing.overlay;
    exports dev.lattice.spi.service;
    exports dev.lattice.spi.policy;
    exports dev.lattice.spi.plugin;
    exports dev.lattice.spi.telemetry;
    exports dev.lattice.spi.kernel;
    exports dev.lattice.spi.kernel.firewall;
}
