package dev.datamesh.trino.system;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.datamesh.descriptor.Freshness;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.trino.AssetErrors;
import dev.datamesh.trino.MeshRegistrySource;
import dev.datamesh.trino.MeshTableResolver;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.InMemoryRecordSet;
import io.trino.spi.connector.RecordCursor;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.connector.SystemTable;
import io.trino.spi.predicate.TupleDomain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static dev.datamesh.trino.system.SystemTableColumns.column;
import static dev.datamesh.trino.system.SystemTableColumns.timestampWithTimeZone;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.TimestampWithTimeZoneType.TIMESTAMP_TZ_MILLIS;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * {@code system.sla_status}: each table's freshness measured when queried: the time of its
 * latest data (newest Parquet file, latest Delta commit, current Iceberg snapshot) against the
 * freshness its product declares.
 */
public final class SlaStatusTable
        implements SystemTable
{
    public static final SchemaTableName NAME = new SchemaTableName("system", "sla_status");

    private static final ConnectorTableMetadata METADATA = new ConnectorTableMetadata(
            NAME,
            ImmutableList.of(
                    column("data_product", VARCHAR, "Data product that publishes the table"),
                    column("domain", VARCHAR, "Business domain of the product"),
                    column("table_schema", VARCHAR, "Schema of the table"),
                    column("table_name", VARCHAR, "Name of the table"),
                    column("owner", VARCHAR, "Team accountable for the product"),
                    column("freshness", VARCHAR, "Maximum age of the newest data the owner commits to"),
                    column("update_frequency", VARCHAR, "How often the owner refreshes the table"),
                    column("latest_data", TIMESTAMP_TZ_MILLIS, "When the table's data last changed: newest Parquet file, latest Delta commit or current Iceberg snapshot"),
                    column("lag_seconds", BIGINT, "Age of the latest data, in seconds"),
                    column("status", VARCHAR, "ok: fresh as committed; breached: older than the freshness; unknown: no freshness declared, no data, or the data cannot be read"),
                    column("last_error", VARCHAR, "The last error met while reading the table"),
                    column("last_error_time", TIMESTAMP_TZ_MILLIS, "When that error was met"),
                    column("checked_at", TIMESTAMP_TZ_MILLIS, "When this status was measured")),
            ImmutableMap.of(),
            Optional.of("Freshness of every table against its product's service level, measured at query time"));

    private final MeshRegistrySource registrySource;
    private final MeshTableResolver tableResolver;
    private final AssetErrors assetErrors;
    private final Clock clock;

    public SlaStatusTable(MeshRegistrySource registrySource, MeshTableResolver tableResolver, AssetErrors assetErrors, Clock clock)
    {
        this.registrySource = requireNonNull(registrySource, "registrySource is null");
        this.tableResolver = requireNonNull(tableResolver, "tableResolver is null");
        this.assetErrors = requireNonNull(assetErrors, "assetErrors is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Distribution getDistribution()
    {
        return Distribution.SINGLE_COORDINATOR;
    }

    @Override
    public ConnectorTableMetadata getTableMetadata()
    {
        return METADATA;
    }

    @Override
    public RecordCursor cursor(ConnectorTransactionHandle transactionHandle, ConnectorSession session, TupleDomain<Integer> constraint)
    {
        InMemoryRecordSet.Builder rows = InMemoryRecordSet.builder(METADATA);
        for (RegisteredAsset asset : registrySource.forQuery(session.getQueryId()).assets()) {
            SchemaTableName table = new SchemaTableName(asset.schemaName(), asset.tableName());
            Instant now = clock.instant();
            Optional<Instant> latestData = Optional.empty();
            try {
                latestData = tableResolver.latestDataTime(session, asset);
            }
            catch (TrinoException e) {
                assetErrors.record(table, e.getMessage());
            }
            Optional<Duration> lag = latestData.map(time -> Duration.between(time, now));
            Optional<String> declared = asset.product().sla().freshness();
            Optional<AssetErrors.AssetError> lastError = assetErrors.lastError(table);
            rows.addRow(
                    asset.product().name(),
                    asset.product().domain(),
                    asset.schemaName(),
                    asset.tableName(),
                    asset.product().owner(),
                    declared.orElse(null),
                    asset.asset().updateFrequency().orElse(null),
                    latestData.map(SystemTableColumns::timestampWithTimeZone).orElse(null),
                    lag.map(Duration::toSeconds).orElse(null),
                    Freshness.status(declared.flatMap(Freshness::parse), lag),
                    lastError.map(AssetErrors.AssetError::message).orElse(null),
                    lastError.map(error -> timestampWithTimeZone(error.time())).orElse(null),
                    timestampWithTimeZone(now));
        }
        return rows.build().cursor();
    }
}
