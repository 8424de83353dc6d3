package dev.datamesh.registry;

import static java.util.Objects.requireNonNull;

/**
 * Which version of a Delta or Iceberg table a query reads.
 */
public sealed interface TableVersion
{
    TableVersion LATEST = new Latest();

    record Latest()
            implements TableVersion {}

    /**
     * A Delta table version, or an Iceberg snapshot id.
     */
    record AtVersion(long version)
            implements TableVersion {}

    /**
     * The version that was current at that time.
     */
    record AtTimestamp(long epochMillis)
            implements TableVersion {}

    /**
     * An Iceberg branch or tag.
     */
    record AtReference(String name)
            implements TableVersion
    {
        public AtReference
        {
            requireNonNull(name, "name is null");
        }
    }
}
