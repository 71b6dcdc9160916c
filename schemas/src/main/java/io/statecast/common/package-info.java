/**
 * Types every module shares: the exception root StatecastException and its typed subtypes, Namespace
 * (topic names), Digest and EntryHash (the order-independent table checksum), Receipt and the header
 * names of state records (StatecastHeaders).
 */
package io.statecast.common;
