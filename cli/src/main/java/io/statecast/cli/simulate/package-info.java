/**
 * A Kubernetes-like cluster as a deterministic stream of Node and Pod changes (ClusterSimulator):
 * statecast simulate writes it to a namespace, and the demo of the devtools module drives its agents
 * with it.
 */
package io.statecast.cli.simulate;
