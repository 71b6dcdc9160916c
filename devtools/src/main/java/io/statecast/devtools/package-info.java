/**
 * What a developer runs and never deploys (devtools/target/statecast-dev.jar): StatecastDevCli is the
 * statecast command plus demo, broker and bench, which carry an embedded Kafka broker and the
 * benchmarks.
 */
package io.statecast.devtools;
