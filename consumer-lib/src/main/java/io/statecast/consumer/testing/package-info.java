/**
 * Test seams of consumer-lib: hooks that tests, the chaos suite and the demo use to make a view
 * misbehave on purpose (e.g. diverge from the table, to prove that verification heals it). Never for
 * production code; not part of the library's API.
 */
package io.statecast.consumer.testing;
