/**
 * What a view's user may plug in: {@link io.statecast.consumer.spi.ValueCompression}, how a view keeps
 * its values compressed in memory (implemented by the statecast-compact module).
 */
package io.statecast.consumer.spi;
