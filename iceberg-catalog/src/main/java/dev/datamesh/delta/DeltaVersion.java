package dev.datamesh.delta;

/**
 * Which snapshot of a Delta table a query reads.
 */
public sealed interface DeltaVersion
{
    DeltaVersion LATEST = new Latest();

    record Latest()
            implements DeltaVersion {}

    record AtVersion(long version)
            implements DeltaVersion {}

    record AtTimestamp(long epochMillis)
            implements DeltaVersion {}
}
