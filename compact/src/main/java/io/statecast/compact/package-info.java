/**
 * Compact storage of values: ZstdDictionaryCodec compresses small, similar payloads with a zstd
 * dictionary trained on a sample of them.
 */
package io.statecast.compact;
