package io.statecast.devtools.demo;

import java.time.Duration;

/**
 * Agents that start together: the initial ones (one per node, number 0) or a scale-up wave, with their
 * start-up splay and their kind, slice views of their node's {@code by-node} slice or whole-table views.
 */
record Wave(int number, Duration splay, boolean sliced) {
    /** What the summary and the report call the wave, e.g. {@code scale-up 2 (splay 4 s, slices)}. */
    String name() {
        String start = number == 0 ? "initial (one per node" : "scale-up " + number + " (";
        String splayed = number == 0 ? "" : splay.isZero() ? "no splay" : "splay " + splay.toSeconds() + " s";
        return start + (splayed.isEmpty() ? ", " : splayed + ", ") + kind(sliced) + ")";
    }

    /** {@code slices} or {@code whole table}. */
    static String kind(boolean sliced) {
        return sliced ? "slices" : "whole table";
    }
}
