package dev.datamesh.trino.system;

import com.google.common.collect.ImmutableList;
import dev.datamesh.descriptor.Freshness;
import dev.datamesh.registry.MeshRegistry;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.trino.AssetErrors;
import dev.datamesh.trino.CatalogVisibility;
import dev.datamesh.trino.MeshRegistrySource;
import dev.datamesh.trino.MeshTableResolver;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.SchemaTableName;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

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
        extends MeshSystemTable
{
    private final MeshTableResolver tableResolver;
    private final AssetErrors assetErrors;
    private final Clock clock;

    public SlaStatusTable(MeshRegistrySource registrySource, Function<ConnectorSession, CatalogVisibility> visibility, MeshTableResolver tableResolver, AssetErrors assetErrors, Clock clock)
    {
        super(registrySource, visibility, "sla_status", "Freshness of every table against its product's service level, measured at query time", ImmutableList.of(
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
                column("checked_at", TIMESTAMP_TZ_MILLIS, "When this status was measured")));
        this.tableResolver = requireNonNull(tableResolver, "tableResolver is null");
        this.assetErrors = requireNonNull(assetErrors, "assetErrors is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    void addRows(Rows rows, MeshRegistry registry, ConnectorSession session)
    {
        for (RegisteredAsset asset : registry.assets()) {
            if (!rows.mayMatch(asset)) {
                continue;
            }
            Instant now = clock.instant();
            Optional<Instant> latestData;
            try {
                latestData = tableResolver.latestDataTime(session, asset);
            }
            catch (TrinoException e) {
                // recorded as the table's last error, shown below
                latestData = Optional.empty();
            }
            Optional<Duration> lag = latestData.map(time -> Duration.between(time, now));
            Optional<String> declared = asset.product().sla().freshness();
            Optional<AssetErrors.AssetError> lastError = assetErrors.lastError(new SchemaTableName(asset.schemaName(), asset.tableName()));
            rows.add(
                    asset.product().name(),
                    asset.product().domain(),
                    asset.schemaName(),
                    asset.tableName(),
                    asset.product().owner(),
                    declared.orElse(null),
                    asset.asset().updateFrequency().orElse(null),
                    latestData.map(MeshSystemTable::timestampWithTimeZone).orElse(null),
                    lag.map(Duration::toSeconds).orElse(null),
                    Freshness.status(declared.flatMap(Freshness::parse), lag),
                    lastError.map(AssetErrors.AssetError::message).orElse(null),
                    lastError.map(error -> timestampWithTimeZone(error.time())).orElse(null),
                    timestampWithTimeZone(now));
        }
    }
}
