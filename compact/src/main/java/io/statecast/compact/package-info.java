/**
 * Compact storage of values: ZstdDictionaryCodec compresses small, similar payloads with a zstd
 * dictionary trained on a sample of them; ZstdValueCompression gives it to a StateView
 * ({@code StateView.Builder#valueCompression}).
 */
package io.statecast.compact;
