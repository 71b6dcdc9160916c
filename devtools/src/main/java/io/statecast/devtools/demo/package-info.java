/**
 * The demo run behind statecast demo: an embedded broker, two materializers, the cluster simulator,
 * one agent (a filtered view) per node, two scale-up waves with and without splay, a live line, a
 * summary and the final check that every agent equals the authoritative table for its node.
 */
package io.statecast.devtools.demo;
