package dev.datamesh.trino;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import dev.datamesh.descriptor.AssetSchema;
import dev.datamesh.descriptor.DeclaredColumn;
import dev.datamesh.registry.RegisteredAsset;
import io.airlift.log.Logger;
import io.trino.spi.TrinoException;
import io.trino.spi.type.Type;
import io.trino.spi.type.TypeManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static dev.datamesh.trino.MeshErrorCode.MESH_CONTRACT_VIOLATION;
import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

/**
 * Compares the columns an asset's schema file declares with the columns its data has, and applies
 * mesh.contracts.mode: a breaking disagreement fails queries on the asset (ENFORCE) rather than
 * serving data nobody agreed to, or is logged once and served (WARN).
 */
public class ContractCheck
{
    private static final Logger log = Logger.get(ContractCheck.class);
    private static final int MAX_VIOLATIONS_IN_MESSAGE = 3;

    private final TypeManager typeManager;
    private final MeshConfig.ContractMode contractMode;
    // warned once each; bounded, as tables and their data change for as long as the server runs
    // Guava's builder: EvictableCacheBuilder's caches take no puts
    private final Cache<String, Boolean> warnedViolations = CacheBuilder.newBuilder()
            .maximumSize(10_000)
            .build();

    @Inject
    public ContractCheck(TypeManager typeManager, MeshConfig config)
    {
        this.typeManager = requireNonNull(typeManager, "typeManager is null");
        this.contractMode = config.getContractMode();
    }

    /**
     * Fails the table, or warns of it once, when its data breaks its contract.
     */
    public MeshTable enforce(MeshTable table)
    {
        RegisteredAsset asset = table.asset();
        List<ContractViolation> breaking = table.contractViolations().stream().filter(ContractViolation::breaking).toList();
        if (!breaking.isEmpty()) {
            String message = "%s violates its schema contract %s: %s".formatted(
                    asset.displayName(),
                    asset.declaredSchema().map(AssetSchema::file).map(Object::toString).orElse(""),
                    violationsInMessage(asset, breaking));
            if (contractMode == MeshConfig.ContractMode.ENFORCE) {
                throw new TrinoException(MESH_CONTRACT_VIOLATION, message);
            }
            // served as its data is: said once per violation set, not at every query
            if (warnedViolations.asMap().putIfAbsent(message, true) == null) {
                log.warn("Serving it as its data is (mesh.contracts.mode=WARN): %s", message);
            }
        }
        return table;
    }

    /**
     * The first few violations: the message reaches every reader of the table (and its SLA
     * status), who may not see every column the contract declares; the catalog lists them all,
     * each to the users who may see its column.
     */
    private static String violationsInMessage(RegisteredAsset asset, List<ContractViolation> violations)
    {
        String listed = violations.stream().limit(MAX_VIOLATIONS_IN_MESSAGE).map(ContractViolation::message).collect(joining("; "));
        if (violations.size() <= MAX_VIOLATIONS_IN_MESSAGE) {
            return listed;
        }
        return "%s; and %s more, listed in system.contract_violations (table_schema '%s', table_name '%s')".formatted(
                listed, violations.size() - MAX_VIOLATIONS_IN_MESSAGE, asset.schemaName(), asset.tableName());
    }

    /**
     * Every declared column must exist with its declared type, and not allow nulls when declared
     * not null (when the format says whether it does); every column must be declared.
     *
     * @param source what the columns were read from, as the messages name it
     * @param nullableColumns the columns that allow nulls; empty when the format does not say
     */
    public List<ContractViolation> violations(RegisteredAsset asset, List<MeshColumn> columns, String source, Optional<Set<String>> nullableColumns)
    {
        Optional<AssetSchema> contract = asset.declaredSchema();
        if (contract.isEmpty()) {
            return ImmutableList.of();
        }
        Map<String, Type> actualTypes = columns.stream().collect(toImmutableMap(column -> column.handle().name(), column -> column.handle().type()));
        List<ContractViolation> violations = new ArrayList<>();
        for (DeclaredColumn declared : contract.orElseThrow().columns()) {
            String name = declared.name().toLowerCase(Locale.ROOT);
            Optional<Type> declaredType = declaredType(declared);
            if (declaredType.isEmpty()) {
                // reported once, for a partition key too; whether the data has the column is
                // checked once the type is fixed (an asset without data files takes its columns
                // from the contract, so it could not even list this one)
                violations.add(new ContractViolation(ContractViolation.Kind.INVALID_TYPE, name, "column '%s' (%s) declares type '%s', which is not a SQL type".formatted(declared.name(), declared.position(), declared.type())));
                continue;
            }
            Type actual = actualTypes.get(name);
            if (actual == null) {
                violations.add(new ContractViolation(ContractViolation.Kind.MISSING_COLUMN, name, "column '%s' (%s) is missing from %s".formatted(declared.name(), declared.position(), source)));
                continue;
            }
            if (!declaredType.orElseThrow().equals(actual)) {
                violations.add(new ContractViolation(ContractViolation.Kind.TYPE_MISMATCH, name, "column '%s' is declared as %s (%s) but the data has %s".formatted(
                        name, declaredType.orElseThrow().getDisplayName(), declared.position(), actual.getDisplayName())));
            }
            if (!declared.nullable() && nullableColumns.map(nullable -> nullable.contains(name)).orElse(false)) {
                violations.add(new ContractViolation(ContractViolation.Kind.NULLABILITY, name, "column '%s' is declared not null (%s) but %s allows nulls".formatted(name, declared.position(), source)));
            }
        }
        for (MeshColumn column : columns) {
            if (contract.orElseThrow().column(column.handle().name()).isEmpty()) {
                violations.add(new ContractViolation(ContractViolation.Kind.EXTRA_COLUMN, column.handle().name(), "column '%s' of %s is not in the contract; declare it, with its classification".formatted(
                        column.handle().name(), source)));
            }
        }
        return violations;
    }

    /**
     * The declared type; empty when it is no SQL type, which the contract check reports.
     */
    public Optional<Type> declaredType(DeclaredColumn column)
    {
        try {
            return Optional.of(typeManager.fromSqlType(column.type()));
        }
        catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
