package dev.datamesh.trino.security;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.policies.AccessDecision;
import dev.datamesh.policies.ColumnMaskDecision;
import dev.datamesh.policies.GovernedAsset;
import dev.datamesh.policies.Mask;
import dev.datamesh.policies.PolicyEvaluator;
import dev.datamesh.policies.Principal;
import dev.datamesh.policies.ReadDecision;
import dev.datamesh.policies.RowFilterDecision;
import dev.datamesh.trino.CatalogVisibility;
import dev.datamesh.trino.PublishedRegistries;
import dev.datamesh.trino.ReadGate;
import dev.datamesh.trino.RowFilteredTables;
import dev.datamesh.trino.audit.AuditTrail;
import io.trino.plugin.base.security.ForwardingSystemAccessControl;
import io.trino.spi.QueryId;
import io.trino.spi.connector.CatalogSchemaName;
import io.trino.spi.connector.CatalogSchemaRoutineName;
import io.trino.spi.connector.CatalogSchemaTableName;
import io.trino.spi.connector.ColumnSchema;
import io.trino.spi.connector.EntityKindAndName;
import io.trino.spi.connector.EntityPrivilege;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.eventlistener.EventListener;
import io.trino.spi.function.SchemaFunctionName;
import io.trino.spi.security.AccessDeniedException;
import io.trino.spi.security.Identity;
import io.trino.spi.security.Privilege;
import io.trino.spi.security.SystemAccessControl;
import io.trino.spi.security.SystemSecurityContext;
import io.trino.spi.security.TrinoPrincipal;
import io.trino.spi.security.ViewExpression;
import io.trino.spi.type.Type;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static dev.datamesh.trino.security.CatalogTableFilters.CATALOG_SCHEMA;
import static dev.datamesh.trino.security.CatalogTableFilters.seesCatalog;
import static dev.datamesh.trino.security.QueryDecisions.principal;
import static java.util.Objects.requireNonNull;

/**
 * Enforces the mesh's governance in Trino: what users see of the mesh catalog (schemas, tables,
 * columns), what they may select, and the row filters and column masks on what they read. Each
 * table is evaluated once per query, whatever the number of columns or checks. Other catalogs
 * are left to the configured control, Trino's default unless told otherwise.
 * <p>
 * Every check of the SPI that can concern a catalog is declared here, as Trino's file-based
 * control declares its own, so that none falls through to the control of other catalogs
 * (TestEveryAccessCheckDecided holds the class to that): that is what makes it long. What a
 * query carries from one check to the next is kept beside it, in {@link QueryDecisions},
 * {@link MeshCatalogs}, {@link MaterializedViewReads} and {@link StatisticsCollections}.
 */
public final class MeshAccessControl
        extends ForwardingSystemAccessControl
        implements ReadGate.Decision
{
    private static final String INFORMATION_SCHEMA = "information_schema";
    private static final String SYSTEM_CATALOG = "system";
    private static final CatalogSchemaTableName RUNTIME_QUERIES = new CatalogSchemaTableName(SYSTEM_CATALOG, "runtime", "queries");
    private static final CatalogSchemaTableName RUNTIME_TASKS = new CatalogSchemaTableName(SYSTEM_CATALOG, "runtime", "tasks");
    private static final CatalogSchemaTableName RUNTIME_TRANSACTIONS = new CatalogSchemaTableName(SYSTEM_CATALOG, "runtime", "transactions");

    // impersonation is decided before there is a query to pin a policy to: with the one in force
    private final Supplier<PolicyEvaluator> policy;
    private final MeshCatalogs catalogs;
    private final QueryDecisions decisions;
    private final MaterializedViewReads materializedViewReads = new MaterializedViewReads();
    private final StatisticsCollections statisticsCollections = new StatisticsCollections();
    private final RowFilteredTables rowFilteredTables;
    private final Set<String> statisticsRoles;
    private final MeshSecurityConfig.OtherCatalogs otherCatalogs;
    private final SystemAccessControl otherCatalogsControl;
    private final AuditTrail auditTrail;
    private final List<EventListener> eventListeners;

    /**
     * @param policy the policy in force (re-read by the supplier when its files change)
     * @param registries the registry each mesh catalog serves
     */
    public MeshAccessControl(Supplier<PolicyEvaluator> policy, PublishedRegistries registries, RowFilteredTables rowFilteredTables, MeshSecurityConfig config, SystemAccessControl otherCatalogsControl, AuditTrail auditTrail, List<EventListener> eventListeners)
    {
        this.policy = requireNonNull(policy, "policy is null");
        this.catalogs = new MeshCatalogs(config.getMeshCatalogs(), registries);
        this.rowFilteredTables = requireNonNull(rowFilteredTables, "rowFilteredTables is null");
        this.statisticsRoles = ImmutableSet.copyOf(config.getStatisticsRoles());
        this.otherCatalogs = config.getOtherCatalogs();
        this.otherCatalogsControl = requireNonNull(otherCatalogsControl, "otherCatalogsControl is null");
        this.auditTrail = requireNonNull(auditTrail, "auditTrail is null");
        this.decisions = new QueryDecisions(policy, auditTrail);
        this.eventListeners = ImmutableList.copyOf(eventListeners);
    }

    @Override
    protected SystemAccessControl delegate()
    {
        return otherCatalogsControl;
    }

    @Override
    public Iterable<EventListener> getEventListeners()
    {
        return eventListeners;
    }

    @Override
    public void shutdown()
    {
        eventListeners.forEach(EventListener::shutdown);
    }

    // identity

    @Override
    public void checkCanSetUser(Optional<java.security.Principal> principal, String userName)
    {
        // whether a client may name a user is for authentication; impersonation is checked below
    }

    @Override
    public void checkCanImpersonateUser(Identity identity, String userName)
    {
        PolicyEvaluator evaluator = policy.get();
        AccessDecision decision = evaluator.canImpersonate(principal(evaluator, identity), userName);
        if (!decision.allowed()) {
            throw new AccessDeniedException(decision.reason());
        }
    }

    @Override
    public void checkCanViewQueryOwnedBy(Identity identity, Identity queryOwner)
    {
        // a query's text can quote the values it looked for
        if (!identity.getUser().equals(queryOwner.getUser())) {
            AccessDeniedException.denyViewQuery("only its owner may see a query on the mesh");
        }
    }

    @Override
    public Collection<Identity> filterViewQueryOwnedBy(Identity identity, Collection<Identity> queryOwners)
    {
        return queryOwners.stream().filter(owner -> owner.getUser().equals(identity.getUser())).collect(toImmutableSet());
    }

    @Override
    public void checkCanKillQueryOwnedBy(Identity identity, Identity queryOwner)
    {
        if (!identity.getUser().equals(queryOwner.getUser())) {
            AccessDeniedException.denyKillQuery("only its owner may kill a query");
        }
    }

    // catalogs

    @Override
    public boolean canAccessCatalog(SystemSecurityContext context, String catalogName)
    {
        if (catalogs.isMesh(catalogName) || catalogName.equals(SYSTEM_CATALOG)) {
            return true;
        }
        return otherCatalogs != MeshSecurityConfig.OtherCatalogs.DENY && super.canAccessCatalog(context, catalogName);
    }

    @Override
    public Set<String> filterCatalogs(SystemSecurityContext context, Set<String> catalogs)
    {
        return catalogs.stream()
                .filter(catalog -> canAccessCatalog(context, catalog))
                .collect(toImmutableSet());
    }

    @Override
    public void checkCanSetCatalogSessionProperty(SystemSecurityContext context, String catalogName, String propertyName)
    {
        if (!catalogs.isMesh(catalogName)) {
            super.checkCanSetCatalogSessionProperty(context, catalogName, propertyName);
            return;
        }
        // allowed: the mesh's session properties tune how data is read (how long split planning
        // waits for dynamic filters); governance is decided here, never by a session
    }

    // catalogs are made by administrators: one made with the data_mesh connector could name any
    // descriptor folder, with grants of its author's choosing, over the domains' data

    @Override
    public void checkCanCreateCatalog(SystemSecurityContext context, String catalog)
    {
        deny(context, "cannot create catalog %s: catalogs are configured by the server's administrators under a governed mesh".formatted(catalog));
    }

    @Override
    public void checkCanDropCatalog(SystemSecurityContext context, String catalog)
    {
        deny(context, "cannot drop catalog %s: catalogs are configured by the server's administrators under a governed mesh".formatted(catalog));
    }

    // schemas

    @Override
    public void checkCanShowSchemas(SystemSecurityContext context, String catalogName)
    {
        if (!catalogs.isMesh(catalogName)) {
            super.checkCanShowSchemas(context, catalogName);
        }
    }

    @Override
    public Set<String> filterSchemas(SystemSecurityContext context, String catalogName, Set<String> schemaNames)
    {
        if (!catalogs.isMesh(catalogName)) {
            return super.filterSchemas(context, catalogName, schemaNames);
        }
        auditTrail.touch(context);
        PolicyEvaluator evaluator = decisions.policy(context);
        GovernedCatalog catalog = catalogs.catalog(catalogName, context.getQueryId());
        Principal principal = principal(evaluator, context.getIdentity());
        return schemaNames.stream()
                .filter(schema -> schema.equals(INFORMATION_SCHEMA)
                        || (schema.equals(CATALOG_SCHEMA) && seesCatalog(evaluator, principal, catalog))
                        || catalog.hasReadableTable(evaluator, principal, schema))
                .collect(toImmutableSet());
    }

    @Override
    public void checkCanShowCreateSchema(SystemSecurityContext context, CatalogSchemaName schemaName)
    {
        if (!catalogs.isMesh(schemaName.getCatalogName())) {
            super.checkCanShowCreateSchema(context, schemaName);
            return;
        }
        checkSchemaVisible(context, schemaName);
    }

    @Override
    public void checkCanShowTables(SystemSecurityContext context, CatalogSchemaName schema)
    {
        if (!catalogs.isMesh(schema.getCatalogName())) {
            super.checkCanShowTables(context, schema);
            return;
        }
        checkSchemaVisible(context, schema);
    }

    private void checkSchemaVisible(SystemSecurityContext context, CatalogSchemaName schema)
    {
        if (schema.getSchemaName().equals(INFORMATION_SCHEMA)) {
            return;
        }
        if (schema.getSchemaName().equals(CATALOG_SCHEMA)) {
            checkSeesCatalog(context, schema.getCatalogName());
            return;
        }
        PolicyEvaluator evaluator = decisions.policy(context);
        if (!catalogs.catalog(schema.getCatalogName(), context.getQueryId()).hasReadableTable(evaluator, principal(evaluator, context.getIdentity()), schema.getSchemaName())) {
            deny(context, "user '%s' may read no data product of schema %s".formatted(context.getIdentity().getUser(), schema));
        }
    }

    // tables and columns

    @Override
    public Set<SchemaTableName> filterTables(SystemSecurityContext context, String catalogName, Set<SchemaTableName> tableNames)
    {
        if (!catalogs.isMesh(catalogName)) {
            return super.filterTables(context, catalogName, tableNames);
        }
        auditTrail.touch(context);
        PolicyEvaluator evaluator = decisions.policy(context);
        GovernedCatalog catalog = catalogs.catalog(catalogName, context.getQueryId());
        Principal principal = principal(evaluator, context.getIdentity());
        ImmutableSet.Builder<SchemaTableName> visible = ImmutableSet.builder();
        for (SchemaTableName table : tableNames) {
            if (table.getSchemaName().equals(INFORMATION_SCHEMA)) {
                visible.add(table);
                continue;
            }
            if (table.getSchemaName().equals(CATALOG_SCHEMA)) {
                if (seesCatalog(evaluator, principal, catalog)) {
                    visible.add(table);
                }
                continue;
            }
            GovernedAsset asset = catalog.assets().get(table);
            if (asset != null && evaluator.mayRead(principal, asset)) {
                visible.add(table);
            }
        }
        return visible.build();
    }

    @Override
    public void checkCanShowColumns(SystemSecurityContext context, CatalogSchemaTableName table)
    {
        if (!catalogs.isMesh(table.getCatalogName())) {
            super.checkCanShowColumns(context, table);
            return;
        }
        if (isCatalogTable(table)) {
            checkSeesCatalog(context, table.getCatalogName());
            return;
        }
        checkCanRead(context, table);
    }

    @Override
    public void checkCanShowCreateTable(SystemSecurityContext context, CatalogSchemaTableName table)
    {
        if (!catalogs.isMesh(table.getCatalogName())) {
            super.checkCanShowCreateTable(context, table);
            return;
        }
        if (isCatalogTable(table)) {
            checkSeesCatalog(context, table.getCatalogName());
            return;
        }
        ReadDecision decision = checkCanRead(context, table);
        // the statement prints every column of the table, denied ones included
        if (!decision.columnDenials().isEmpty()) {
            deny(context, "SHOW CREATE TABLE would list columns of %s denied to user '%s' by %s; SHOW COLUMNS lists the columns you may read"
                    .formatted(table, context.getIdentity().getUser(), decision.columnDenials().getFirst().origin()));
        }
    }

    @Override
    public Set<String> filterColumns(SystemSecurityContext context, CatalogSchemaTableName table, Set<String> columns)
    {
        if (!catalogs.isMesh(table.getCatalogName())) {
            return super.filterColumns(context, table, columns);
        }
        return visibleColumns(context, table, columns);
    }

    @Override
    public Map<SchemaTableName, Set<String>> filterColumns(SystemSecurityContext context, String catalogName, Map<SchemaTableName, Set<String>> tableColumns)
    {
        if (!catalogs.isMesh(catalogName)) {
            return super.filterColumns(context, catalogName, tableColumns);
        }
        ImmutableMap.Builder<SchemaTableName, Set<String>> visible = ImmutableMap.builder();
        tableColumns.forEach((table, columns) -> visible.put(table, visibleColumns(context, new CatalogSchemaTableName(catalogName, table), columns)));
        return visible.buildOrThrow();
    }

    private Set<String> visibleColumns(SystemSecurityContext context, CatalogSchemaTableName table, Set<String> columns)
    {
        auditTrail.touch(context);
        if (table.getSchemaTableName().getSchemaName().equals(INFORMATION_SCHEMA)) {
            return columns;
        }
        if (isCatalogTable(table)) {
            PolicyEvaluator evaluator = decisions.policy(context);
            return seesCatalog(evaluator, principal(evaluator, context.getIdentity()), catalogs.catalog(table.getCatalogName(), context.getQueryId())) ? columns : ImmutableSet.of();
        }
        Optional<ReadDecision> decision = decision(context, table);
        if (decision.isEmpty() || !decision.orElseThrow().access().allowed()) {
            return ImmutableSet.of();
        }
        return columns.stream()
                .filter(column -> decision.orElseThrow().columnDenial(column.toLowerCase(Locale.ROOT)).isEmpty())
                .collect(toImmutableSet());
    }

    @Override
    public void checkCanSelectFromColumns(SystemSecurityContext context, CatalogSchemaTableName table, Set<String> columns)
    {
        // neither table says whose a row is, and a filter on them would still read every user's rows
        if (table.equals(RUNTIME_TASKS) || table.equals(RUNTIME_TRANSACTIONS)) {
            deny(context, "%s shows the work of every user's queries; a user sees its own queries, with their statistics, in %s".formatted(table, RUNTIME_QUERIES));
        }
        if (!catalogs.isMesh(table.getCatalogName())) {
            super.checkCanSelectFromColumns(context, table, columns);
            return;
        }
        // what the mesh says of itself is its data too: no materialized view keeps it either
        materializedViewReads.read(context.getQueryId(), table).ifPresent(reason -> deny(context, reason));
        if (table.getSchemaTableName().getSchemaName().equals(INFORMATION_SCHEMA)) {
            return;
        }
        if (isCatalogTable(table)) {
            checkSeesCatalog(context, table.getCatalogName());
            return;
        }
        ReadDecision decision = checkCanRead(context, table);
        for (String column : columns) {
            Optional<AccessDecision> denial = decision.columnDenial(column.toLowerCase(Locale.ROOT));
            if (denial.isPresent()) {
                deny(context, denial.orElseThrow().reason());
            }
        }
        recordTable(context, table, decision);
    }

    @Override
    public List<ViewExpression> getRowFilters(SystemSecurityContext context, CatalogSchemaTableName table)
    {
        if (!catalogs.isMesh(table.getCatalogName())) {
            return super.getRowFilters(context, table);
        }
        materializedViewReads.read(context.getQueryId(), table).ifPresent(reason -> deny(context, reason));
        if (table.getSchemaTableName().getSchemaName().equals(INFORMATION_SCHEMA)) {
            return ImmutableList.of();
        }
        if (isCatalogTable(table)) {
            PolicyEvaluator evaluator = decisions.policy(context);
            if (evaluator.policy().publicCatalog()) {
                return ImmutableList.of();
            }
            return ImmutableList.of(expression(table, CatalogTableFilters.filter(
                    table.getSchemaTableName().getTableName(), evaluator, principal(evaluator, context.getIdentity()), catalogs.catalog(table.getCatalogName(), context.getQueryId()))));
        }
        // Trino asks for the filters as it analyses the table, before it resolves the query's
        // columns: denying here keeps a user who may not read the table from learning its
        // column names through "cannot be resolved" errors
        ReadDecision decision = checkCanRead(context, table);
        recordTable(context, table, decision);
        if (!decision.rowFilters().isEmpty()) {
            rowFilteredTables.record(context.getQueryId().toString(), table.getCatalogName(), table.getSchemaTableName(),
                    decision.rowFilters().stream().map(RowFilterDecision::expression).collect(toImmutableList()));
        }
        return decision.rowFilters().stream()
                .map(filter -> expression(table, filter.expression()))
                .collect(toImmutableList());
    }

    @Override
    public Optional<ViewExpression> getColumnMask(SystemSecurityContext context, CatalogSchemaTableName table, String columnName, Type type)
    {
        ColumnSchema column = ColumnSchema.builder().setName(columnName).setType(type).build();
        return Optional.ofNullable(getColumnMasks(context, table, ImmutableList.of(column)).get(column));
    }

    @Override
    public Map<ColumnSchema, ViewExpression> getColumnMasks(SystemSecurityContext context, CatalogSchemaTableName table, List<ColumnSchema> columns)
    {
        if (!catalogs.isMesh(table.getCatalogName())) {
            return super.getColumnMasks(context, table, columns);
        }
        if (table.getSchemaTableName().getSchemaName().equals(INFORMATION_SCHEMA) || isCatalogTable(table)) {
            return ImmutableMap.of();
        }
        // a denied table or column reads as null should its denial not be reached
        Optional<ReadDecision> decision = decision(context, table);
        ImmutableMap.Builder<ColumnSchema, ViewExpression> masks = ImmutableMap.builder();
        for (ColumnSchema column : columns) {
            String name = column.getName().toLowerCase(Locale.ROOT);
            if (decision.isEmpty() || !decision.orElseThrow().access().allowed() || decision.orElseThrow().columnDenial(name).isPresent()) {
                masks.put(column, expression(table, MaskExpressions.sql(Mask.of(Mask.Kind.NULL), column.getName(), column.getType())));
                continue;
            }
            Optional<ColumnMaskDecision> mask = decision.orElseThrow().mask(name);
            if (mask.isPresent()) {
                masks.put(column, expression(table, MaskExpressions.sql(mask.orElseThrow().mask(), column.getName(), column.getType())));
                GovernedAsset asset = decision.orElseThrow().asset();
                auditTrail.recordMask(context, table, asset.product(), asset.domain(), column.getName(), mask.orElseThrow().rule().name());
            }
        }
        return masks.buildOrThrow();
    }

    // views over mesh tables would show their rows to the view's readers with its owner's rights

    @Override
    public void checkCanCreateViewWithSelectFromColumns(SystemSecurityContext context, CatalogSchemaTableName table, Set<String> columns)
    {
        if (!catalogs.isMesh(table.getCatalogName())) {
            super.checkCanCreateViewWithSelectFromColumns(context, table, columns);
            return;
        }
        deny(context, "a view cannot read %s: its readers would see the table with the view owner's grants, masks and row filters".formatted(table));
    }

    // the mesh is read-only: domains publish their products by writing the data itself

    @Override
    public void checkCanCreateSchema(SystemSecurityContext context, CatalogSchemaName schema, Map<String, Object> properties)
    {
        checkWrite(context, schema.getCatalogName(), "create schema " + schema, () -> super.checkCanCreateSchema(context, schema, properties));
    }

    @Override
    public void checkCanDropSchema(SystemSecurityContext context, CatalogSchemaName schema)
    {
        checkWrite(context, schema.getCatalogName(), "drop schema " + schema, () -> super.checkCanDropSchema(context, schema));
    }

    @Override
    public void checkCanRenameSchema(SystemSecurityContext context, CatalogSchemaName schema, String newSchemaName)
    {
        checkWrite(context, schema.getCatalogName(), "rename schema " + schema, () -> super.checkCanRenameSchema(context, schema, newSchemaName));
    }

    @Override
    public void checkCanSetSchemaAuthorization(SystemSecurityContext context, CatalogSchemaName schema, TrinoPrincipal principal)
    {
        checkWrite(context, schema.getCatalogName(), "set the authorization of schema " + schema, () -> super.checkCanSetSchemaAuthorization(context, schema, principal));
    }

    @Override
    public void checkCanCreateTable(SystemSecurityContext context, CatalogSchemaTableName table, Map<String, Object> properties)
    {
        checkWrite(context, table.getCatalogName(), "create table " + table, () -> super.checkCanCreateTable(context, table, properties));
    }

    @Override
    public void checkCanDropTable(SystemSecurityContext context, CatalogSchemaTableName table)
    {
        checkWrite(context, table.getCatalogName(), "drop table " + table, () -> super.checkCanDropTable(context, table));
    }

    @Override
    public void checkCanRenameTable(SystemSecurityContext context, CatalogSchemaTableName table, CatalogSchemaTableName newTable)
    {
        checkWrite(context, table.getCatalogName(), "rename table " + table, () -> super.checkCanRenameTable(context, table, newTable));
    }

    @Override
    public void checkCanSetTableProperties(SystemSecurityContext context, CatalogSchemaTableName table, Map<String, Optional<Object>> properties)
    {
        checkWrite(context, table.getCatalogName(), "set properties of table " + table, () -> super.checkCanSetTableProperties(context, table, properties));
    }

    @Override
    public void checkCanSetTableComment(SystemSecurityContext context, CatalogSchemaTableName table)
    {
        checkWrite(context, table.getCatalogName(), "comment on table " + table, () -> super.checkCanSetTableComment(context, table));
    }

    @Override
    public void checkCanSetColumnComment(SystemSecurityContext context, CatalogSchemaTableName table)
    {
        checkWrite(context, table.getCatalogName(), "comment on a column of table " + table, () -> super.checkCanSetColumnComment(context, table));
    }

    @Override
    public void checkCanAddColumn(SystemSecurityContext context, CatalogSchemaTableName table)
    {
        checkWrite(context, table.getCatalogName(), "add a column to table " + table, () -> super.checkCanAddColumn(context, table));
    }

    @Override
    public void checkCanAlterColumn(SystemSecurityContext context, CatalogSchemaTableName table)
    {
        checkWrite(context, table.getCatalogName(), "alter a column of table " + table, () -> super.checkCanAlterColumn(context, table));
    }

    @Override
    public void checkCanDropColumn(SystemSecurityContext context, CatalogSchemaTableName table)
    {
        checkWrite(context, table.getCatalogName(), "drop a column of table " + table, () -> super.checkCanDropColumn(context, table));
    }

    @Override
    public void checkCanRenameColumn(SystemSecurityContext context, CatalogSchemaTableName table)
    {
        checkWrite(context, table.getCatalogName(), "rename a column of table " + table, () -> super.checkCanRenameColumn(context, table));
    }

    @Override
    public void checkCanSetTableAuthorization(SystemSecurityContext context, CatalogSchemaTableName table, TrinoPrincipal principal)
    {
        checkWrite(context, table.getCatalogName(), "set the authorization of table " + table, () -> super.checkCanSetTableAuthorization(context, table, principal));
    }

    @Override
    public void checkCanInsertIntoTable(SystemSecurityContext context, CatalogSchemaTableName table)
    {
        // Trino asks ANALYZE for the insert privilege, whose denial it words itself without the
        // policy's reason: the connector asked first, see checkCanComputeStatistics
        if (statisticsCollections.isAllowed(context.getQueryId(), table)) {
            return;
        }
        checkWrite(context, table.getCatalogName(), "insert into table " + table, () -> super.checkCanInsertIntoTable(context, table));
    }

    @Override
    public void checkCanDeleteFromTable(SystemSecurityContext context, CatalogSchemaTableName table)
    {
        checkWrite(context, table.getCatalogName(), "delete from table " + table, () -> super.checkCanDeleteFromTable(context, table));
    }

    @Override
    public void checkCanTruncateTable(SystemSecurityContext context, CatalogSchemaTableName table)
    {
        checkWrite(context, table.getCatalogName(), "truncate table " + table, () -> super.checkCanTruncateTable(context, table));
    }

    @Override
    public void checkCanUpdateTableColumns(SystemSecurityContext context, CatalogSchemaTableName table, Set<String> updatedColumnNames)
    {
        checkWrite(context, table.getCatalogName(), "update table " + table, () -> super.checkCanUpdateTableColumns(context, table, updatedColumnNames));
    }

    @Override
    public void checkCanCreateView(SystemSecurityContext context, CatalogSchemaTableName view)
    {
        checkWrite(context, view.getCatalogName(), "create view " + view, () -> super.checkCanCreateView(context, view));
    }

    @Override
    public void checkCanRenameView(SystemSecurityContext context, CatalogSchemaTableName view, CatalogSchemaTableName newView)
    {
        checkWrite(context, view.getCatalogName(), "rename view " + view, () -> super.checkCanRenameView(context, view, newView));
    }

    @Override
    public void checkCanSetViewAuthorization(SystemSecurityContext context, CatalogSchemaTableName view, TrinoPrincipal principal)
    {
        checkWrite(context, view.getCatalogName(), "set the authorization of view " + view, () -> super.checkCanSetViewAuthorization(context, view, principal));
    }

    @Override
    public void checkCanSetViewComment(SystemSecurityContext context, CatalogSchemaTableName view)
    {
        checkWrite(context, view.getCatalogName(), "comment on view " + view, () -> super.checkCanSetViewComment(context, view));
    }

    @Override
    public void checkCanDropView(SystemSecurityContext context, CatalogSchemaTableName view)
    {
        checkWrite(context, view.getCatalogName(), "drop view " + view, () -> super.checkCanDropView(context, view));
    }

    // a materialized view over mesh tables is refreshed with the rights of whoever refreshes it, and
    // its storage table keeps that user's rows, unmasked columns and all, for every reader of the view

    @Override
    public void checkCanCreateMaterializedView(SystemSecurityContext context, CatalogSchemaTableName materializedView, Map<String, Object> properties)
    {
        // Trino checks the view's query before the view itself
        materializedViewReads.creationDenial(context.getQueryId(), materializedView).ifPresent(reason -> deny(context, reason));
        checkWrite(context, materializedView.getCatalogName(), "create materialized view " + materializedView, () -> super.checkCanCreateMaterializedView(context, materializedView, properties));
    }

    @Override
    public void checkCanRefreshMaterializedView(SystemSecurityContext context, CatalogSchemaTableName materializedView)
    {
        checkWrite(context, materializedView.getCatalogName(), "refresh materialized view " + materializedView, () -> super.checkCanRefreshMaterializedView(context, materializedView));
        // its query is read next, under this query's id: a mesh table it names is refused then
        materializedViewReads.refreshing(context.getQueryId(), materializedView);
    }

    @Override
    public void checkCanSetMaterializedViewProperties(SystemSecurityContext context, CatalogSchemaTableName materializedView, Map<String, Optional<Object>> properties)
    {
        checkWrite(context, materializedView.getCatalogName(), "set properties of materialized view " + materializedView, () -> super.checkCanSetMaterializedViewProperties(context, materializedView, properties));
    }

    @Override
    public void checkCanRenameMaterializedView(SystemSecurityContext context, CatalogSchemaTableName materializedView, CatalogSchemaTableName newMaterializedView)
    {
        checkWrite(context, materializedView.getCatalogName(), "rename materialized view " + materializedView, () -> super.checkCanRenameMaterializedView(context, materializedView, newMaterializedView));
    }

    @Override
    public void checkCanDropMaterializedView(SystemSecurityContext context, CatalogSchemaTableName materializedView)
    {
        checkWrite(context, materializedView.getCatalogName(), "drop materialized view " + materializedView, () -> super.checkCanDropMaterializedView(context, materializedView));
    }

    @Override
    public void checkCanGrantSchemaPrivilege(SystemSecurityContext context, Privilege privilege, CatalogSchemaName schema, TrinoPrincipal grantee, boolean grantOption)
    {
        checkWrite(context, schema.getCatalogName(), "grant on schema " + schema + " (grants are given in descriptors)", () -> super.checkCanGrantSchemaPrivilege(context, privilege, schema, grantee, grantOption));
    }

    @Override
    public void checkCanDenySchemaPrivilege(SystemSecurityContext context, Privilege privilege, CatalogSchemaName schema, TrinoPrincipal grantee)
    {
        checkWrite(context, schema.getCatalogName(), "deny on schema " + schema + " (denials are given in the mesh's policies)", () -> super.checkCanDenySchemaPrivilege(context, privilege, schema, grantee));
    }

    @Override
    public void checkCanRevokeSchemaPrivilege(SystemSecurityContext context, Privilege privilege, CatalogSchemaName schema, TrinoPrincipal revokee, boolean grantOption)
    {
        checkWrite(context, schema.getCatalogName(), "revoke on schema " + schema + " (grants are given in descriptors)", () -> super.checkCanRevokeSchemaPrivilege(context, privilege, schema, revokee, grantOption));
    }

    @Override
    public void checkCanGrantTablePrivilege(SystemSecurityContext context, Privilege privilege, CatalogSchemaTableName table, TrinoPrincipal grantee, boolean grantOption)
    {
        checkWrite(context, table.getCatalogName(), "grant on table " + table + " (grants are given in descriptors)", () -> super.checkCanGrantTablePrivilege(context, privilege, table, grantee, grantOption));
    }

    @Override
    public void checkCanDenyTablePrivilege(SystemSecurityContext context, Privilege privilege, CatalogSchemaTableName table, TrinoPrincipal grantee)
    {
        checkWrite(context, table.getCatalogName(), "deny on table " + table + " (denials are given in the mesh's policies)", () -> super.checkCanDenyTablePrivilege(context, privilege, table, grantee));
    }

    @Override
    public void checkCanRevokeTablePrivilege(SystemSecurityContext context, Privilege privilege, CatalogSchemaTableName table, TrinoPrincipal revokee, boolean grantOption)
    {
        checkWrite(context, table.getCatalogName(), "revoke on table " + table + " (grants are given in descriptors)", () -> super.checkCanRevokeTablePrivilege(context, privilege, table, revokee, grantOption));
    }

    // entities other than schemas and tables (views, materialized views, and kinds a connector
    // defines); Trino also asks here for ALTER SCHEMA/TABLE/VIEW ... SET AUTHORIZATION

    @Override
    public void checkCanGrantEntityPrivilege(SystemSecurityContext context, EntityPrivilege privilege, EntityKindAndName entity, TrinoPrincipal grantee, boolean grantOption)
    {
        checkWrite(context, catalogName(entity), "grant on %s (grants are given in descriptors)".formatted(describe(entity)), () -> super.checkCanGrantEntityPrivilege(context, privilege, entity, grantee, grantOption));
    }

    @Override
    public void checkCanDenyEntityPrivilege(SystemSecurityContext context, EntityPrivilege privilege, EntityKindAndName entity, TrinoPrincipal grantee)
    {
        checkWrite(context, catalogName(entity), "deny on %s (denials are given in the mesh's policies)".formatted(describe(entity)), () -> super.checkCanDenyEntityPrivilege(context, privilege, entity, grantee));
    }

    @Override
    public void checkCanRevokeEntityPrivilege(SystemSecurityContext context, EntityPrivilege privilege, EntityKindAndName entity, TrinoPrincipal revokee, boolean grantOption)
    {
        checkWrite(context, catalogName(entity), "revoke on %s (grants are given in descriptors)".formatted(describe(entity)), () -> super.checkCanRevokeEntityPrivilege(context, privilege, entity, revokee, grantOption));
    }

    @Override
    public void checkCanSetEntityAuthorization(SystemSecurityContext context, EntityKindAndName entity, TrinoPrincipal principal)
    {
        checkWrite(context, catalogName(entity), "set the authorization of " + describe(entity), () -> super.checkCanSetEntityAuthorization(context, entity, principal));
    }

    /**
     * The catalog of an entity, which Trino names from its catalog down; none for a name without
     * parts, which no catalog governs.
     */
    private static String catalogName(EntityKindAndName entity)
    {
        return entity.name().isEmpty() ? "" : entity.name().getFirst();
    }

    private static String describe(EntityKindAndName entity)
    {
        return entity.entityKind().toLowerCase(Locale.ROOT) + " " + String.join(".", entity.name());
    }

    @Override
    public void checkCanExecuteProcedure(SystemSecurityContext context, CatalogSchemaRoutineName procedure)
    {
        checkWrite(context, procedure.getCatalogName(), "execute procedure " + procedure, () -> super.checkCanExecuteProcedure(context, procedure));
    }

    @Override
    public void checkCanExecuteTableProcedure(SystemSecurityContext context, CatalogSchemaTableName table, String procedure)
    {
        checkWrite(context, table.getCatalogName(), "execute %s on table %s".formatted(procedure, table), () -> super.checkCanExecuteTableProcedure(context, table, procedure));
    }

    @Override
    public void checkCanCreateFunction(SystemSecurityContext context, CatalogSchemaRoutineName functionName)
    {
        checkWrite(context, functionName.getCatalogName(), "create function " + functionName, () -> super.checkCanCreateFunction(context, functionName));
    }

    @Override
    public void checkCanDropFunction(SystemSecurityContext context, CatalogSchemaRoutineName functionName)
    {
        checkWrite(context, functionName.getCatalogName(), "drop function " + functionName, () -> super.checkCanDropFunction(context, functionName));
    }

    // functions: the mesh serves none (its connector stores no function and provides none), so
    // there is nothing of the mesh to list, show, execute, or let a view execute; should a mesh
    // catalog ever serve one, its body would read domains' data outside the checks above

    @Override
    public void checkCanShowFunctions(SystemSecurityContext context, CatalogSchemaName schema)
    {
        if (!catalogs.isMesh(schema.getCatalogName())) {
            super.checkCanShowFunctions(context, schema);
            return;
        }
        // the listing is empty; decided as SHOW TABLES, so that it tells nothing of a schema the user may not see
        checkSchemaVisible(context, schema);
    }

    @Override
    public Set<SchemaFunctionName> filterFunctions(SystemSecurityContext context, String catalogName, Set<SchemaFunctionName> functionNames)
    {
        if (!catalogs.isMesh(catalogName)) {
            return super.filterFunctions(context, catalogName, functionNames);
        }
        return ImmutableSet.of();
    }

    @Override
    public void checkCanShowCreateFunction(SystemSecurityContext context, CatalogSchemaRoutineName functionName)
    {
        if (!catalogs.isMesh(functionName.getCatalogName())) {
            super.checkCanShowCreateFunction(context, functionName);
            return;
        }
        deny(context, "cannot show function %s: the mesh catalog serves no functions".formatted(functionName));
    }

    @Override
    public boolean canExecuteFunction(SystemSecurityContext context, CatalogSchemaRoutineName functionName)
    {
        if (!catalogs.isMesh(functionName.getCatalogName())) {
            return super.canExecuteFunction(context, functionName);
        }
        return false;
    }

    @Override
    public boolean canCreateViewWithExecuteFunction(SystemSecurityContext context, CatalogSchemaRoutineName functionName)
    {
        if (!catalogs.isMesh(functionName.getCatalogName())) {
            return super.canCreateViewWithExecuteFunction(context, functionName);
        }
        return false;
    }

    private void checkWrite(SystemSecurityContext context, String catalogName, String action, Runnable otherCatalogCheck)
    {
        if (catalogs.isMesh(catalogName)) {
            deny(context, "cannot %s: the mesh catalog is read-only; domains publish data products by writing their data".formatted(action));
        }
        otherCatalogCheck.run();
    }

    /**
     * The denial the user would get for the table, given to the connector before it resolves the
     * table: a denied user learns nothing of its versions, metadata or failures.
     */
    @Override
    public void checkCanRead(String queryId, String user, Set<String> groups, CatalogSchemaTableName table)
    {
        if (catalogs.isMesh(table.getCatalogName())) {
            checkCanRead(connectorContext(queryId, user, groups), table);
        }
    }

    @Override
    public CatalogVisibility catalogVisibility(String queryId, String user, Set<String> groups, String catalogName)
    {
        if (!catalogs.isMesh(catalogName)) {
            return CatalogVisibility.EVERYTHING;
        }
        SystemSecurityContext context = connectorContext(queryId, user, groups);
        PolicyEvaluator evaluator = decisions.policy(context);
        if (evaluator.policy().publicCatalog()) {
            return CatalogVisibility.EVERYTHING;
        }
        return CatalogTableFilters.visibility(evaluator, principal(evaluator, context.getIdentity()), catalogs.catalog(catalogName, context.getQueryId()));
    }

    /**
     * Decides ANALYZE, which Trino runs without the masks and row filters of the user's queries:
     * its statistics describe every row and column as stored. Its user must read the whole table
     * in clear, and own the product or hold a statistics role. Once allowed, the insert privilege
     * Trino then asks the statement for is granted to this query and table only.
     */
    @Override
    public void checkCanComputeStatistics(String queryId, String user, Set<String> groups, CatalogSchemaTableName table, Set<String> columns)
    {
        if (!catalogs.isMesh(table.getCatalogName())) {
            return;
        }
        SystemSecurityContext context = connectorContext(queryId, user, groups);
        ReadDecision decision = checkCanRead(context, table);
        PolicyEvaluator evaluator = decisions.policy(context);
        AccessDecision statistics = evaluator.canComputeStatistics(principal(evaluator, context.getIdentity()), decision.asset(), statisticsRoles);
        String denied = "user '%s' may not analyze %s: ".formatted(user, table);
        if (!statistics.allowed()) {
            deny(context, denied + statistics.reason());
        }
        if (!decision.rowFilters().isEmpty()) {
            deny(context, denied + "its statistics describe every row, and the user reads it under the row filter of " + decision.rowFilters().getFirst().rule());
        }
        for (String column : ImmutableList.sortedCopyOf(columns)) {
            String name = column.toLowerCase(Locale.ROOT);
            Optional<AccessDecision> denial = decision.columnDenial(name);
            if (denial.isPresent()) {
                deny(context, denied + denial.orElseThrow().reason());
            }
            Optional<ColumnMaskDecision> mask = decision.mask(name);
            if (mask.isPresent()) {
                deny(context, denied + "its statistics describe column '%s' in clear, which the user reads masked by %s".formatted(name, mask.orElseThrow().rule()));
            }
        }
        statisticsCollections.allow(context.getQueryId(), table);
    }

    @Override
    public Set<String> hiddenColumns(String queryId, String user, Set<String> groups, CatalogSchemaTableName table, Set<String> columns)
    {
        if (!catalogs.isMesh(table.getCatalogName())) {
            return ImmutableSet.of();
        }
        Optional<ReadDecision> decision = decision(connectorContext(queryId, user, groups), table);
        if (decision.isEmpty() || !decision.orElseThrow().access().allowed()) {
            return ImmutableSet.copyOf(columns);
        }
        return columns.stream()
                .filter(column -> {
                    String name = column.toLowerCase(Locale.ROOT);
                    return decision.orElseThrow().columnDenial(name).isPresent() || decision.orElseThrow().mask(name).isPresent();
                })
                .collect(toImmutableSet());
    }

    /**
     * The context of a query's connector call: governance decides with the user and groups
     * alone, as it does for the query's access checks.
     */
    private static SystemSecurityContext connectorContext(String queryId, String user, Set<String> groups)
    {
        return new SystemSecurityContext(Identity.forUser(user).withGroups(groups).build(), QueryId.valueOf(queryId), Instant.now());
    }

    private ReadDecision checkCanRead(SystemSecurityContext context, CatalogSchemaTableName table)
    {
        Optional<ReadDecision> decision = decision(context, table);
        if (decision.isEmpty()) {
            deny(context, "table %s is not a data asset of the mesh".formatted(table));
        }
        if (!decision.orElseThrow().access().allowed()) {
            deny(context, decision.orElseThrow().access().reason());
        }
        return decision.orElseThrow();
    }

    private Optional<ReadDecision> decision(SystemSecurityContext context, CatalogSchemaTableName table)
    {
        return catalogs.catalog(table.getCatalogName(), context.getQueryId()).asset(table.getSchemaTableName())
                .map(asset -> decisions.decision(context, table, asset));
    }

    /**
     * A table of the mesh's catalog (its system schema), which describes products rather than
     * holding their data.
     */
    private static boolean isCatalogTable(CatalogSchemaTableName table)
    {
        return table.getSchemaTableName().getSchemaName().equals(CATALOG_SCHEMA);
    }

    private void checkSeesCatalog(SystemSecurityContext context, String catalogName)
    {
        PolicyEvaluator evaluator = decisions.policy(context);
        if (!seesCatalog(evaluator, principal(evaluator, context.getIdentity()), catalogs.catalog(catalogName, context.getQueryId()))) {
            deny(context, "user '%s' may read no data product of %s, so its catalog (schema %s) shows nothing".formatted(context.getIdentity().getUser(), catalogName, CATALOG_SCHEMA));
        }
    }

    private static ViewExpression expression(CatalogSchemaTableName table, String sql)
    {
        return ViewExpression.builder()
                .catalog(table.getCatalogName())
                .schema(table.getSchemaTableName().getSchemaName())
                .expression(sql)
                .build();
    }

    private void recordTable(SystemSecurityContext context, CatalogSchemaTableName table, ReadDecision decision)
    {
        GovernedAsset asset = decision.asset();
        auditTrail.recordTable(context, table, asset.product(), asset.domain(), decision.rowFilters().stream().map(filter -> filter.rule().name()).toList());
    }

    private void deny(SystemSecurityContext context, String reason)
    {
        auditTrail.recordDenial(context, reason);
        throw new AccessDeniedException(reason);
    }
}
