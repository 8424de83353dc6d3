package dev.datamesh.trino;

import com.google.inject.Inject;
import dev.datamesh.registry.RegisteredAsset;
import dev.datamesh.registry.TableVersion;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.SchemaTableName;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Resolves a registered asset to the table a query sees, through the reader of its format
 * ({@link MeshFormats}). The asset's schema file, when given, adds descriptions, and any
 * disagreement with the data is a contract violation ({@link ContractCheck}) that fails queries on
 * the asset rather than serving data nobody agreed to. Whatever fails is the asset's last error.
 */
public class MeshTableResolver
{
    private final MeshFormats formats;
    private final ContractCheck contractCheck;
    private final AssetErrors assetErrors;

    @Inject
    public MeshTableResolver(MeshFormats formats, ContractCheck contractCheck, AssetErrors assetErrors)
    {
        this.formats = requireNonNull(formats, "formats is null");
        this.contractCheck = requireNonNull(contractCheck, "contractCheck is null");
        this.assetErrors = requireNonNull(assetErrors, "assetErrors is null");
    }

    /**
     * The asset at a version; an Iceberg asset with the schema of the given id when there is one,
     * else with the schema the version has (the current schema for the latest state and for
     * branches, the snapshot's own schema for a snapshot id, tag or timestamp).
     */
    public MeshTable resolve(ConnectorSession session, RegisteredAsset asset, TableVersion version, OptionalInt icebergSchemaId)
    {
        return recordingErrors(asset, () -> contractCheck.enforce(formats.of(asset).resolve(session, asset, version, icebergSchemaId)));
    }

    /**
     * The asset's latest table as its data is, with how it departs from its column contract,
     * whatever the contract mode: what the catalog's tables describe, quarantined tables included.
     */
    public MeshTable inspect(ConnectorSession session, RegisteredAsset asset)
    {
        return recordingErrors(asset, () -> formats.of(asset).resolve(session, asset, TableVersion.LATEST, OptionalInt.empty()));
    }

    /**
     * When the asset's data last changed: its newest file for Parquet, its latest commit for
     * Delta, its current snapshot for Iceberg; empty for an asset with no data yet.
     */
    public Optional<Instant> latestDataTime(ConnectorSession session, RegisteredAsset asset)
    {
        return recordingErrors(asset, () -> formats.of(asset).latestDataTime(session, asset));
    }

    // whatever reads a table, its failure is the table's last error, shown with its SLA status
    private <T> T recordingErrors(RegisteredAsset asset, Supplier<T> read)
    {
        try {
            return read.get();
        }
        catch (TrinoException e) {
            assetErrors.record(new SchemaTableName(asset.schemaName(), asset.tableName()), e.getMessage());
            throw e;
        }
    }
}
