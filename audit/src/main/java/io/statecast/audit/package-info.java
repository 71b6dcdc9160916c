/**
 * Read-only replays of a namespace for auditors: Auditor rebuilds the table as of an offset or a time
 * (from {@code <ns>.history}, else {@code <ns>.state} with the compaction caveat), shows a key's
 * history, recomputes every partition's digest and compares it with the checksums topic, diffs two
 * points and reads rejections; Exporter writes a table as NDJSON or CSV. Nothing here writes to a
 * topic, joins a group or commits offsets.
 */
package io.statecast.audit;
