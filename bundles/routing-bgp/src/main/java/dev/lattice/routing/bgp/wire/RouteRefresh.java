package dev.lattice.routing.bgp.wire;

/** ROUTE-REFRESH (RFC 2918; subtype per RFC 7313: 0 normal, 1 BoRR, 2 EoRR). */
public record RouteRefresh(int afi, int subtype, int safi) implements Message {
    @Override
    public int type() {
        return ROUTE_REFRESH;
    }

    public Family family() {
        return Family.of(afi, safi);
    }
}
