/**
 * Every limit of Tessera, in one place, each with its reason (as TigerBeetle's constants.zig).
 * Input past a limit is the user's error and gets a SQLSTATE, never an assertion.
 */
export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** A startup packet is tiny by design; Postgres caps it at the same 10,000 bytes. */
export const startupPacketBytesMax = 10_000;
/** We buffer whole messages, so stay far below Postgres's ~1 GiB. Past it: 08P01. */
export const messageBytesMax = 64 * MiB;
/** A setting; one more connection than this gets 53300 too_many_connections. */
export const connectionCountMaxDefault = 100;
/** A setting; a statement that would allocate past it gets 53200 out_of_memory. */
export const memoryBytesMaxDefault = 4 * GiB;
/** NAMEDATALEN - 1; longer identifiers are truncated, as Postgres does. */
export const identifierLengthMax = 63;
/** As Postgres's MaxHeapAttributeNumber. */
export const columnCountMax = 1_600;
/** Deeper trees get 54001 statement_too_complex, as Postgres's check_stack_depth. */
export const treeDepthMax = 1_000;
/** As Citus's MAX_SHARD_COUNT. */
export const shardCountMax = 64_000;
/** Bind parameters per statement; the wire format counts them in an int16. */
export const parameterCountMax = 65_535;
/** A client that has not logged in within this is dropped, as authentication_timeout. */
export const authenticationTimeoutMs = 60_000;
/** Bytes queued toward one client before we wait for the socket to drain. */
export const socketWriteBufferBytesMax = 1 * MiB;
/** A server's shutdown waits this long for sessions to end before closing their sockets. */
export const shutdownGraceMs = 5_000;
/**
 * Messages that carry no user payload (Execute, Describe, Close, Sync, Flush, CopyDone,
 * CopyFail, Terminate) are capped lower, as Postgres's PQ_SMALL_MESSAGE_LIMIT. Past it: 08P01.
 */
export const messageSmallBytesMax = 10_000;
/** A SASL message during authentication, as Postgres's PG_MAX_AUTH_TOKEN_LENGTH. */
export const authMessageBytesMax = 65_535;
/** Received bytes buffered for one client before we stop reading its socket until it drains. */
export const socketReadBufferBytesMax = 1 * MiB;
/** Sockets still in startup or authentication beyond the session limit; more are dropped. */
export const connectionStartingCountMax = 64;
/**
 * WAL segment files roll over near this size, as Postgres's default wal_segment_size. Small
 * enough to read whole during recovery, large enough that segment creation is rare.
 */
export const walSegmentBytes = 16 * MiB;
/** One WAL record's payload; bigger changes are split by the engine. Past it: 54000. */
export const walRecordBytesMax = 8 * MiB;
/**
 * Appended but not yet durable WAL bytes. `WalWriter.waitForRoom` waits below half of it;
 * an append past it gets 53200, so a stalled disk cannot grow memory without bound.
 */
export const walBufferBytesMax = 64 * MiB;
/** Unflushed bytes that wake the background flusher at once instead of after its delay. */
export const walWriteWakeBytes = 1 * MiB;
/** synchronous_commit=off commits are durable within this, as Postgres's wal_writer_delay. */
export const walWriterDelayMs = 200;
/** One checkpoint snapshot chunk, read whole and checksummed as a unit. Past it: 54000. */
export const snapshotChunkBytesMax = 64 * MiB;
/**
 * Times one statement runs again after waiting for a transaction that changed its rows (READ
 * COMMITTED's re-check). Each run follows another transaction's end, so a busy row may need
 * many; past it the statement gets 40001 instead of looping for ever.
 */
export const statementRetryCountMax = 10_000;
/** WAL written since the last checkpoint that starts the next one (Postgres's max_wal_size). */
export const checkpointWalBytes = 64 * MiB;
/**
 * The SQL text of one message that carries several shard DDL commands to a node (one round
 * trip instead of one per shard). Far below `messageBytesMax`; longer runs are split.
 */
export const shardCommandBatchBytesMax = 1 * MiB;
