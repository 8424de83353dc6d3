package dev.datamesh.trino.statistics;

import com.google.common.collect.ImmutableMap;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * What ANALYZE computed on a table's data, as the statistics store keeps it (one JSON file per
 * table): the identity of the data it read, so that it is never applied to other data, and each
 * column's counts under its lower-case name with the type it had.
 *
 * @param table the table, schema.table, for whoever reads the file
 * @param analyzedBy the user who ran ANALYZE
 */
public record StoredStatistics(String table, DataIdentity identity, Instant analyzedAt, String analyzedBy, long rowCount, Map<String, Column> columns)
{
    public StoredStatistics
    {
        requireNonNull(table, "table is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(analyzedAt, "analyzedAt is null");
        requireNonNull(analyzedBy, "analyzedBy is null");
        checkArgument(rowCount >= 0, "rowCount is negative");
        columns = ImmutableMap.copyOf(columns);
    }

    /**
     * @param type the column's type as SQL names it; statistics of a column whose type changed are not used
     * @param min the smallest value as the optimizer represents it (numbers as they are, dates and timestamps counted from the epoch)
     */
    public record Column(String type, OptionalLong nonNullCount, OptionalLong distinctValuesCount, OptionalLong dataSize, OptionalDouble min, OptionalDouble max)
    {
        public Column
        {
            requireNonNull(type, "type is null");
            requireNonNull(nonNullCount, "nonNullCount is null");
            requireNonNull(distinctValuesCount, "distinctValuesCount is null");
            requireNonNull(dataSize, "dataSize is null");
            requireNonNull(min, "min is null");
            requireNonNull(max, "max is null");
            checkArgument(min.isPresent() == max.isPresent(), "min and max go together");
        }
    }
}
