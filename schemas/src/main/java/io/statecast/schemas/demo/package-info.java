/**
 * The demo's payload records (generated from src/main/avro-demo): Pod, with its Container and
 * PodPhase, and Node, as a Kubernetes node agent sees them.
 */
package io.statecast.schemas.demo;
