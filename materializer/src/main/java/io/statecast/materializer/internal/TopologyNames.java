package io.statecast.materializer.internal;

/**
 * The names of the topology's stores and nodes, apart from {@link Topology} that wires them, so that the
 * processors that use them (and the rebuild, the status reader) do not import the class that builds them.
 */
public final class TopologyNames {
    public static final String TABLE_STORE = "table";
    public static final String META_STORE = "meta";
    /** Per slice: digests by slice value, per slice partition positions, back-fill progress. */
    public static final String SLICES_STORE = "slices";

    static final String SOURCE = "changes";
    static final String APPLY = "apply";
    static final String STATE_SINK = "state";
    static final String HISTORY_SINK = "history";
    static final String REJECTIONS_SINK = "rejections";
    static final String CHECKSUMS_SINK = "checksums";
    static final String SLICES_SINK = "slices";

    private TopologyNames() {}
}
