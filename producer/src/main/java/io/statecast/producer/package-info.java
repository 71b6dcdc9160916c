/**
 * Writing state changes to {@code <ns>.changes}: StatecastProducer (upserts, deletes, compare-and-set,
 * transactional batches, a Receipt per write for read-your-writes) and topic provisioning
 * (TopicProvisioner, TopicOptions), which creates and checks a namespace's topics with their configs.
 */
package io.statecast.producer;
