package dev.datamesh.trino.security;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.policies.GlobalPolicy;
import dev.datamesh.policies.ImpersonationRule;
import dev.datamesh.policies.PolicyEvaluator;
import dev.datamesh.policies.Principals;
import dev.datamesh.policies.RoleMapping;
import dev.datamesh.policies.RuleOrigin;
import dev.datamesh.trino.PublishedRegistries;
import dev.datamesh.trino.RowFilteredTables;
import dev.datamesh.trino.audit.AuditTrail;
import dev.datamesh.trino.audit.QueryGovernance;
import io.trino.plugin.base.security.DefaultSystemAccessControl;
import io.trino.spi.QueryId;
import io.trino.spi.connector.CatalogSchemaName;
import io.trino.spi.connector.CatalogSchemaRoutineName;
import io.trino.spi.connector.CatalogSchemaTableName;
import io.trino.spi.connector.ColumnSchema;
import io.trino.spi.connector.EntityKindAndName;
import io.trino.spi.connector.EntityPrivilege;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.function.SchemaFunctionName;
import io.trino.spi.security.AccessDeniedException;
import io.trino.spi.security.Identity;
import io.trino.spi.security.PrincipalType;
import io.trino.spi.security.Privilege;
import io.trino.spi.security.SystemAccessControl;
import io.trino.spi.security.SystemSecurityContext;
import io.trino.spi.security.TrinoPrincipal;
import io.trino.spi.security.ViewExpression;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static dev.datamesh.trino.security.TestEveryAccessCheckDecided.Decision.ALLOWED;
import static dev.datamesh.trino.security.TestEveryAccessCheckDecided.Decision.CATALOG_VISIBLE_TO_ALL;
import static dev.datamesh.trino.security.TestEveryAccessCheckDecided.Decision.DENIED_AS_WRITE;
import static dev.datamesh.trino.security.TestEveryAccessCheckDecided.Decision.DENIED_FOR_EVERY_CATALOG;
import static dev.datamesh.trino.security.TestEveryAccessCheckDecided.Decision.DENIED_TO_VIEWS;
import static dev.datamesh.trino.security.TestEveryAccessCheckDecided.Decision.IMPERSONATION_PER_POLICY;
import static dev.datamesh.trino.security.TestEveryAccessCheckDecided.Decision.MASKED_PER_POLICY;
import static dev.datamesh.trino.security.TestEveryAccessCheckDecided.Decision.NOT_ABOUT_A_CATALOG;
import static dev.datamesh.trino.security.TestEveryAccessCheckDecided.Decision.NOT_A_CHECK;
import static dev.datamesh.trino.security.TestEveryAccessCheckDecided.Decision.NO_FUNCTIONS;
import static dev.datamesh.trino.security.TestEveryAccessCheckDecided.Decision.OWN_QUERIES_ONLY;
import static dev.datamesh.trino.security.TestEveryAccessCheckDecided.Decision.READ_PER_POLICY;
import static io.trino.spi.type.BigintType.BIGINT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every check of Trino's {@link SystemAccessControl} has a decision of the mesh: a new check in
 * the SPI fails this test until it is added to {@link #DECISIONS}, a check that can concern a
 * catalog must be declared by {@link MeshAccessControl} itself (never left to the control of
 * other catalogs, which allows by default), and each is invoked on the mesh with the outcome its
 * decision says, and on another catalog to see it still delegated there.
 */
final class TestEveryAccessCheckDecided
{
    enum Decision
    {
        /** The mesh is read-only: denied to every user, naming the object, recorded in the audit trail. */
        DENIED_AS_WRITE,
        /** Allowed (or kept by a filter) for a user granted the sample table, denied (or filtered out) for one who is not. */
        READ_PER_POLICY,
        /** A user not granted the table reads each column as null; a granted user without mask rules reads it in clear. */
        MASKED_PER_POLICY,
        /** The mesh catalog itself is visible to every user; what it holds is filtered per policy. */
        CATALOG_VISIBLE_TO_ALL,
        /** Catalogs are configured by administrators: denied for the mesh and for every other catalog. */
        DENIED_FOR_EVERY_CATALOG,
        /** No view reads a mesh table, whoever creates it: its readers would read with its owner's rights. */
        DENIED_TO_VIEWS,
        /** The mesh serves no functions: none is listed, shown, executed, or executed by a view. */
        NO_FUNCTIONS,
        /** Allowed to every user: governance never depends on it. */
        ALLOWED,
        /** Users act as themselves unless an impersonation rule allows otherwise. */
        IMPERSONATION_PER_POLICY,
        /** Users see and kill only their own queries. */
        OWN_QUERIES_ONLY,
        /** About users or the server, not a catalog: left to the control of other catalogs. */
        NOT_ABOUT_A_CATALOG,
        /** Not an access check. */
        NOT_A_CHECK,
    }

    /**
     * What the mesh decides for each method of the SPI, by name and parameter types. A method
     * about a catalog is decided by the mesh for the mesh's catalogs and delegated for others.
     */
    private static final Map<String, Decision> DECISIONS = ImmutableMap.<String, Decision>builder()
            // identity and the server
            .put("checkCanImpersonateUser(Identity, String)", IMPERSONATION_PER_POLICY)
            // whether a client may name a user is for authentication; impersonation is decided above
            .put("checkCanSetUser(Optional, String)", ALLOWED)
            // a query is judged by what it touches, table by table
            .put("checkCanExecuteQuery(Identity, QueryId)", NOT_ABOUT_A_CATALOG)
            .put("checkCanViewQueryOwnedBy(Identity, Identity)", OWN_QUERIES_ONLY)
            .put("filterViewQueryOwnedBy(Identity, Collection)", OWN_QUERIES_ONLY)
            .put("checkCanKillQueryOwnedBy(Identity, Identity)", OWN_QUERIES_ONLY)
            // the server's nodes and queries; its query texts are guarded by the query checks above
            .put("checkCanReadSystemInformation(Identity)", NOT_ABOUT_A_CATALOG)
            .put("checkCanWriteSystemInformation(Identity)", NOT_ABOUT_A_CATALOG)
            // system session properties tune the engine, not a catalog's governance
            .put("checkCanSetSystemSessionProperty(Identity, QueryId, String)", NOT_ABOUT_A_CATALOG)
            // catalogs
            .put("canAccessCatalog(SystemSecurityContext, String)", CATALOG_VISIBLE_TO_ALL)
            .put("checkCanCreateCatalog(SystemSecurityContext, String)", DENIED_FOR_EVERY_CATALOG)
            .put("checkCanDropCatalog(SystemSecurityContext, String)", DENIED_FOR_EVERY_CATALOG)
            .put("filterCatalogs(SystemSecurityContext, Set)", CATALOG_VISIBLE_TO_ALL)
            // the connector declares no session property; governance never depends on one
            .put("checkCanSetCatalogSessionProperty(SystemSecurityContext, String, String)", ALLOWED)
            // schemas
            .put("checkCanCreateSchema(SystemSecurityContext, CatalogSchemaName, Map)", DENIED_AS_WRITE)
            .put("checkCanDropSchema(SystemSecurityContext, CatalogSchemaName)", DENIED_AS_WRITE)
            .put("checkCanRenameSchema(SystemSecurityContext, CatalogSchemaName, String)", DENIED_AS_WRITE)
            .put("checkCanSetSchemaAuthorization(SystemSecurityContext, CatalogSchemaName, TrinoPrincipal)", DENIED_AS_WRITE)
            // SHOW SCHEMAS runs for everyone; filterSchemas decides what it lists
            .put("checkCanShowSchemas(SystemSecurityContext, String)", CATALOG_VISIBLE_TO_ALL)
            .put("filterSchemas(SystemSecurityContext, String, Set)", READ_PER_POLICY)
            .put("checkCanShowCreateSchema(SystemSecurityContext, CatalogSchemaName)", READ_PER_POLICY)
            // tables and columns
            .put("checkCanShowCreateTable(SystemSecurityContext, CatalogSchemaTableName)", READ_PER_POLICY)
            .put("checkCanCreateTable(SystemSecurityContext, CatalogSchemaTableName, Map)", DENIED_AS_WRITE)
            .put("checkCanDropTable(SystemSecurityContext, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanRenameTable(SystemSecurityContext, CatalogSchemaTableName, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanSetTableProperties(SystemSecurityContext, CatalogSchemaTableName, Map)", DENIED_AS_WRITE)
            .put("checkCanSetTableComment(SystemSecurityContext, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanSetColumnComment(SystemSecurityContext, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanShowTables(SystemSecurityContext, CatalogSchemaName)", READ_PER_POLICY)
            .put("filterTables(SystemSecurityContext, String, Set)", READ_PER_POLICY)
            .put("checkCanShowColumns(SystemSecurityContext, CatalogSchemaTableName)", READ_PER_POLICY)
            .put("filterColumns(SystemSecurityContext, CatalogSchemaTableName, Set)", READ_PER_POLICY)
            .put("filterColumns(SystemSecurityContext, String, Map)", READ_PER_POLICY)
            .put("checkCanAddColumn(SystemSecurityContext, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanAlterColumn(SystemSecurityContext, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanDropColumn(SystemSecurityContext, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanSetTableAuthorization(SystemSecurityContext, CatalogSchemaTableName, TrinoPrincipal)", DENIED_AS_WRITE)
            .put("checkCanRenameColumn(SystemSecurityContext, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanSelectFromColumns(SystemSecurityContext, CatalogSchemaTableName, Set)", READ_PER_POLICY)
            .put("checkCanInsertIntoTable(SystemSecurityContext, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanDeleteFromTable(SystemSecurityContext, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanTruncateTable(SystemSecurityContext, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanUpdateTableColumns(SystemSecurityContext, CatalogSchemaTableName, Set)", DENIED_AS_WRITE)
            .put("getRowFilters(SystemSecurityContext, CatalogSchemaTableName)", READ_PER_POLICY)
            .put("getColumnMask(SystemSecurityContext, CatalogSchemaTableName, String, Type)", MASKED_PER_POLICY)
            .put("getColumnMasks(SystemSecurityContext, CatalogSchemaTableName, List)", MASKED_PER_POLICY)
            // views
            .put("checkCanCreateView(SystemSecurityContext, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanRenameView(SystemSecurityContext, CatalogSchemaTableName, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanSetViewAuthorization(SystemSecurityContext, CatalogSchemaTableName, TrinoPrincipal)", DENIED_AS_WRITE)
            .put("checkCanSetViewComment(SystemSecurityContext, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanDropView(SystemSecurityContext, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanCreateViewWithSelectFromColumns(SystemSecurityContext, CatalogSchemaTableName, Set)", DENIED_TO_VIEWS)
            // materialized views
            .put("checkCanCreateMaterializedView(SystemSecurityContext, CatalogSchemaTableName, Map)", DENIED_AS_WRITE)
            .put("checkCanRefreshMaterializedView(SystemSecurityContext, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanSetMaterializedViewProperties(SystemSecurityContext, CatalogSchemaTableName, Map)", DENIED_AS_WRITE)
            .put("checkCanDropMaterializedView(SystemSecurityContext, CatalogSchemaTableName)", DENIED_AS_WRITE)
            .put("checkCanRenameMaterializedView(SystemSecurityContext, CatalogSchemaTableName, CatalogSchemaTableName)", DENIED_AS_WRITE)
            // grants are given in descriptors, denials in the mesh's policies
            .put("checkCanGrantSchemaPrivilege(SystemSecurityContext, Privilege, CatalogSchemaName, TrinoPrincipal, boolean)", DENIED_AS_WRITE)
            .put("checkCanDenySchemaPrivilege(SystemSecurityContext, Privilege, CatalogSchemaName, TrinoPrincipal)", DENIED_AS_WRITE)
            .put("checkCanRevokeSchemaPrivilege(SystemSecurityContext, Privilege, CatalogSchemaName, TrinoPrincipal, boolean)", DENIED_AS_WRITE)
            .put("checkCanGrantTablePrivilege(SystemSecurityContext, Privilege, CatalogSchemaTableName, TrinoPrincipal, boolean)", DENIED_AS_WRITE)
            .put("checkCanDenyTablePrivilege(SystemSecurityContext, Privilege, CatalogSchemaTableName, TrinoPrincipal)", DENIED_AS_WRITE)
            .put("checkCanRevokeTablePrivilege(SystemSecurityContext, Privilege, CatalogSchemaTableName, TrinoPrincipal, boolean)", DENIED_AS_WRITE)
            .put("checkCanGrantEntityPrivilege(SystemSecurityContext, EntityPrivilege, EntityKindAndName, TrinoPrincipal, boolean)", DENIED_AS_WRITE)
            .put("checkCanDenyEntityPrivilege(SystemSecurityContext, EntityPrivilege, EntityKindAndName, TrinoPrincipal)", DENIED_AS_WRITE)
            .put("checkCanRevokeEntityPrivilege(SystemSecurityContext, EntityPrivilege, EntityKindAndName, TrinoPrincipal, boolean)", DENIED_AS_WRITE)
            // what ALTER SCHEMA/TABLE/VIEW ... SET AUTHORIZATION asks in Trino 476
            .put("checkCanSetEntityAuthorization(SystemSecurityContext, EntityKindAndName, TrinoPrincipal)", DENIED_AS_WRITE)
            // system roles; a catalog's roles (CREATE ROLE ... IN catalog) are asked of the
            // connector's access control, not of this one, and the mesh's connector supports none
            .put("checkCanShowRoles(SystemSecurityContext)", NOT_ABOUT_A_CATALOG)
            .put("checkCanCreateRole(SystemSecurityContext, String, Optional)", NOT_ABOUT_A_CATALOG)
            .put("checkCanDropRole(SystemSecurityContext, String)", NOT_ABOUT_A_CATALOG)
            .put("checkCanGrantRoles(SystemSecurityContext, Set, Set, boolean, Optional)", NOT_ABOUT_A_CATALOG)
            .put("checkCanRevokeRoles(SystemSecurityContext, Set, Set, boolean, Optional)", NOT_ABOUT_A_CATALOG)
            .put("checkCanShowCurrentRoles(SystemSecurityContext)", NOT_ABOUT_A_CATALOG)
            .put("checkCanShowRoleGrants(SystemSecurityContext)", NOT_ABOUT_A_CATALOG)
            // procedures write
            .put("checkCanExecuteProcedure(SystemSecurityContext, CatalogSchemaRoutineName)", DENIED_AS_WRITE)
            .put("checkCanExecuteTableProcedure(SystemSecurityContext, CatalogSchemaTableName, String)", DENIED_AS_WRITE)
            // functions
            .put("checkCanCreateFunction(SystemSecurityContext, CatalogSchemaRoutineName)", DENIED_AS_WRITE)
            .put("checkCanDropFunction(SystemSecurityContext, CatalogSchemaRoutineName)", DENIED_AS_WRITE)
            // lists nothing; decided as SHOW TABLES so that it tells nothing of a schema the user may not see
            .put("checkCanShowFunctions(SystemSecurityContext, CatalogSchemaName)", READ_PER_POLICY)
            .put("filterFunctions(SystemSecurityContext, String, Set)", NO_FUNCTIONS)
            .put("checkCanShowCreateFunction(SystemSecurityContext, CatalogSchemaRoutineName)", NO_FUNCTIONS)
            .put("canExecuteFunction(SystemSecurityContext, CatalogSchemaRoutineName)", NO_FUNCTIONS)
            .put("canCreateViewWithExecuteFunction(SystemSecurityContext, CatalogSchemaRoutineName)", NO_FUNCTIONS)
            // the plugin's event listeners and their end
            .put("getEventListeners()", NOT_A_CHECK)
            .put("shutdown()", NOT_A_CHECK)
            .buildOrThrow();

    /**
     * Methods the mesh's control answers for another catalog through another method of the
     * control it delegates to (all others reach the same method there).
     */
    private static final Map<String, String> DELEGATED_AS = ImmutableMap.of(
            "filterCatalogs", "canAccessCatalog",
            "getColumnMask", "getColumnMasks");

    private static final String MESH = "mesh";
    private static final String OTHER_CATALOG = "memory";
    private static final String GRANTED = "alice";
    private static final String NOT_GRANTED = "bob";
    private static final String READ_ONLY = ": the mesh catalog is read-only; domains publish data products by writing their data";
    private static final Set<String> NOT_GRANTED_DENIALS = ImmutableSet.of(
            "Access Denied: user 'bob' has no role with a read grant on data product 'order-data-product' (domain sales)",
            "Access Denied: user 'bob' may read no data product of schema mesh.sales");
    private static final RoleMapping ROLES = new RoleMapping(
            ImmutableMap.of("analyst", new RoleMapping.Members(ImmutableSet.of(GRANTED), ImmutableSet.of())),
            ImmutableMap.of(),
            ImmutableMap.of());
    // bi-service may act as alice, nobody else as anybody else
    private static final PolicyEvaluator POLICY = new PolicyEvaluator(new GlobalPolicy(ROLES, ImmutableList.of(), ImmutableList.of(), ImmutableList.of(),
            ImmutableList.of(new ImpersonationRule(new RuleOrigin("bi-service-acts-for-alice", "impersonation.yaml", 2),
                    new Principals(ImmutableSet.of("bi-service"), ImmutableSet.of(), ImmutableSet.of(), false), Pattern.compile(GRANTED)))));
    private static final Set<Class<?>> CATALOG_TYPES = ImmutableSet.of(CatalogSchemaName.class, CatalogSchemaTableName.class, CatalogSchemaRoutineName.class, EntityKindAndName.class);

    private static final AtomicInteger QUERIES = new AtomicInteger();
    private static PublishedRegistries registries;

    @BeforeAll
    static void loadRegistries()
            throws IOException
    {
        registries = new PublishedRegistries();
        registries.publish(MESH, TestingRegistries.load(TestingRegistries.ORDERS_DESCRIPTOR));
    }

    @Test
    void testEveryMethodOfTheSpiIsDecided()
    {
        Set<String> spi = spiMethods().stream().map(TestEveryAccessCheckDecided::signature).collect(toImmutableSet());
        assertThat(spi)
                .as("methods of SystemAccessControl without a decision of the mesh: add each to DECISIONS, and to MeshAccessControl if it can concern a catalog")
                .isSubsetOf(DECISIONS.keySet());
        assertThat(DECISIONS.keySet()).as("decisions for methods that SystemAccessControl no longer has").isSubsetOf(spi);
    }

    @TestFactory
    Stream<DynamicTest> testEachMethodHasTheOutcomeOfItsDecision()
    {
        return spiMethods().stream()
                .map(method -> DynamicTest.dynamicTest(signature(method) + ": " + DECISIONS.get(signature(method)), () -> verify(method)));
    }

    /**
     * A few of the newly decided checks with their whole message, as users read them.
     */
    @Test
    void testDenialsNameTheStatementAndTheObject()
    {
        SystemAccessControl control = control(new AuditTrail(), new DefaultSystemAccessControl());
        CatalogSchemaTableName view = new CatalogSchemaTableName(MESH, "sales", "v");
        TrinoPrincipal carol = new TrinoPrincipal(PrincipalType.USER, "carol");
        assertThatThrownBy(() -> control.checkCanDropView(context(GRANTED), view))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: cannot drop view mesh.sales.v" + READ_ONLY);
        assertThatThrownBy(() -> control.checkCanRenameMaterializedView(context(GRANTED), view, new CatalogSchemaTableName(MESH, "sales", "w")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: cannot rename materialized view mesh.sales.v" + READ_ONLY);
        assertThatThrownBy(() -> control.checkCanRevokeTablePrivilege(context(GRANTED), Privilege.SELECT, orders(MESH), carol, false))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: cannot revoke on table mesh.sales.orders (grants are given in descriptors)" + READ_ONLY);
        assertThatThrownBy(() -> control.checkCanDenySchemaPrivilege(context(GRANTED), Privilege.SELECT, new CatalogSchemaName(MESH, "sales"), carol))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: cannot deny on schema mesh.sales (denials are given in the mesh's policies)" + READ_ONLY);
        assertThatThrownBy(() -> control.checkCanSetEntityAuthorization(context(GRANTED), new EntityKindAndName("SCHEMA", ImmutableList.of(MESH, "sales")), carol))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: cannot set the authorization of schema mesh.sales" + READ_ONLY);
        assertThatThrownBy(() -> control.checkCanGrantEntityPrivilege(context(GRANTED), new EntityPrivilege("SELECT"), new EntityKindAndName("MATERIALIZED VIEW", ImmutableList.of(MESH, "sales", "v")), carol, false))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: cannot grant on materialized view mesh.sales.v (grants are given in descriptors)" + READ_ONLY);
        assertThatThrownBy(() -> control.checkCanCreateFunction(context(GRANTED), new CatalogSchemaRoutineName(MESH, "sales", "f")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: cannot create function mesh.sales.f" + READ_ONLY);
        assertThatThrownBy(() -> control.checkCanShowCreateFunction(context(GRANTED), new CatalogSchemaRoutineName(MESH, "sales", "f")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("Access Denied: cannot show function mesh.sales.f: the mesh catalog serves no functions");
        // an entity named without its catalog is no catalog's, so not the mesh's
        control.checkCanSetEntityAuthorization(context(GRANTED), new EntityKindAndName("TABLE", ImmutableList.of()), carol);
    }

    private static void verify(Method method)
            throws Exception
    {
        String signature = signature(method);
        Decision decision = DECISIONS.get(signature);
        assertThat(decision).as("decision for %s", signature).isNotNull();
        boolean concernsCatalog = concernsCatalog(method);
        switch (decision) {
            case NOT_A_CHECK -> {
                return;
            }
            case NOT_ABOUT_A_CATALOG -> {
                assertThat(concernsCatalog).as("%s has a parameter that names a catalog", signature).isFalse();
                assertThat(declaredByMeshAccessControl(method))
                        .as("%s is declared by MeshAccessControl: say in DECISIONS what it decides", signature)
                        .isFalse();
                assertDelegated(method, GRANTED, GRANTED);
                return;
            }
            default -> assertThat(declaredByMeshAccessControl(method))
                    .as("%s can concern a mesh catalog: MeshAccessControl must decide it itself, not leave it to the control of other catalogs", signature)
                    .isTrue();
        }
        for (String user : ImmutableList.of(GRANTED, NOT_GRANTED)) {
            verifyOnTheMesh(method, decision, user);
        }
        if (concernsCatalog) {
            verifyOnAnotherCatalog(method, decision);
        }
        else {
            // about users, decided by the mesh for everyone: nothing asked of the other catalogs' control
            Recording recording = new Recording();
            invoke(control(new AuditTrail(), recording.control()), method, arguments(method, MESH, GRANTED, NOT_GRANTED, QueryId.valueOf("q" + QUERIES.incrementAndGet())));
            assertThat(recording.calls).as("%s asked the control of other catalogs", signature).isEmpty();
        }
    }

    private static void verifyOnTheMesh(Method method, Decision decision, String user)
            throws Exception
    {
        String description = "%s for %s on the mesh".formatted(signature(method), user);
        boolean granted = user.equals(GRANTED);
        AuditTrail auditTrail = new AuditTrail();
        QueryId queryId = QueryId.valueOf("q" + QUERIES.incrementAndGet());
        Object[] arguments = arguments(method, MESH, user, user, queryId);
        Outcome outcome = invoke(control(auditTrail, new DefaultSystemAccessControl()), method, arguments);
        switch (decision) {
            case DENIED_AS_WRITE -> {
                String object = catalogObject(arguments);
                assertThat(outcome.denial()).as(description).hasValueSatisfying(message -> assertThat(message)
                        .matches("Access Denied: cannot .+" + Pattern.quote(READ_ONLY))
                        .contains(" " + object));
                assertThat(auditTrail.take(queryId.toString()).map(QueryGovernance::denials).orElseThrow())
                        .as("%s: the denial is in the audit trail", description)
                        .containsExactly(outcome.denial().orElseThrow().substring("Access Denied: ".length()));
            }
            case READ_PER_POLICY -> {
                if (granted) {
                    assertThat(outcome.denial()).as(description).isEmpty();
                    if (method.getReturnType() == Set.class || method.getReturnType() == Map.class) {
                        // the granted user's filters keep everything of the sample table
                        assertThat(outcome.result()).as(description).isEqualTo(arguments[arguments.length - 1]);
                    }
                    else if (method.getReturnType() == List.class) {
                        // no row filter rule in the policy
                        assertThat((List<?>) outcome.result()).as(description).isEmpty();
                    }
                }
                else if (method.getReturnType() == void.class || method.getReturnType() == List.class) {
                    assertThat(outcome.denial()).as(description).hasValueSatisfying(message -> assertThat(NOT_GRANTED_DENIALS).contains(message));
                }
                else {
                    assertThat(outcome.denial()).as(description).isEmpty();
                    if (outcome.result() instanceof Map<?, ?> tableColumns) {
                        assertThat(tableColumns.values()).as(description).allSatisfy(columns -> assertThat((Collection<?>) columns).isEmpty());
                    }
                    else {
                        assertThat((Collection<?>) outcome.result()).as(description).isEmpty();
                    }
                }
            }
            case MASKED_PER_POLICY -> {
                assertThat(outcome.denial()).as(description).isEmpty();
                List<String> masks = switch (outcome.result()) {
                    case Optional<?> mask -> mask.stream().map(ViewExpression.class::cast).map(ViewExpression::getExpression).toList();
                    case Map<?, ?> byColumn -> byColumn.values().stream().map(ViewExpression.class::cast).map(ViewExpression::getExpression).toList();
                    default -> fail("%s returned %s", description, outcome.result());
                };
                assertThat(masks).as(description).isEqualTo(granted ? ImmutableList.of() : ImmutableList.of("CAST(NULL AS bigint)"));
            }
            case CATALOG_VISIBLE_TO_ALL -> {
                assertThat(outcome.denial()).as(description).isEmpty();
                if (method.getReturnType() == boolean.class) {
                    assertThat(outcome.result()).as(description).isEqualTo(true);
                }
                else if (method.getReturnType() != void.class) {
                    assertThat(outcome.result()).as(description).isEqualTo(arguments[arguments.length - 1]);
                }
            }
            case DENIED_FOR_EVERY_CATALOG -> assertThat(outcome.denial()).as(description)
                    .hasValue("Access Denied: cannot %s catalog mesh: catalogs are configured by the server's administrators under a governed mesh".formatted(method.getName().equals("checkCanCreateCatalog") ? "create" : "drop"));
            case DENIED_TO_VIEWS -> assertThat(outcome.denial()).as(description)
                    .hasValue("Access Denied: a view cannot read mesh.sales.orders: its readers would see the table with the view owner's grants, masks and row filters");
            case NO_FUNCTIONS -> {
                if (method.getReturnType() == boolean.class) {
                    assertThat(outcome.result()).as(description).isEqualTo(false);
                }
                else if (method.getReturnType() == void.class) {
                    assertThat(outcome.denial()).as(description).hasValue("Access Denied: cannot show function mesh.sales.f: the mesh catalog serves no functions");
                }
                else {
                    assertThat((Collection<?>) outcome.result()).as(description).isEmpty();
                }
            }
            case ALLOWED -> assertThat(outcome.denial()).as(description).isEmpty();
            case IMPERSONATION_PER_POLICY -> {
                // acting as oneself, and as another only by a rule
                assertThat(outcome.denial()).as(description).isEmpty();
                assertThat(invoke(control(new AuditTrail(), new DefaultSystemAccessControl()), method, arguments(method, MESH, "bi-service", GRANTED, queryId)).denial())
                        .as("%s: bi-service as alice", description)
                        .isEmpty();
                assertThat(invoke(control(new AuditTrail(), new DefaultSystemAccessControl()), method, arguments(method, MESH, user, "carol", queryId)).denial())
                        .as("%s: as carol", description)
                        .hasValue("Access Denied: user '%s' may not act as user 'carol': no impersonation rule allows it".formatted(user));
            }
            case OWN_QUERIES_ONLY -> {
                Outcome others = invoke(control(new AuditTrail(), new DefaultSystemAccessControl()), method, arguments(method, MESH, user, "carol", queryId));
                if (method.getReturnType() == void.class) {
                    assertThat(outcome.denial()).as(description).isEmpty();
                    assertThat(others.denial()).as("%s: a query of carol", description).hasValueSatisfying(message -> assertThat(message)
                            .isIn("Access Denied: Cannot view query: only its owner may see a query on the mesh", "Access Denied: Cannot kill query: only its owner may kill a query"));
                }
                else {
                    assertThat((Collection<?>) others.result()).as("%s: queries of %s and carol", description, user)
                            .extracting(owner -> ((Identity) owner).getUser())
                            .containsExactly(user);
                }
            }
            case NOT_ABOUT_A_CATALOG, NOT_A_CHECK -> throw new AssertionError("not verified on the mesh: " + decision);
        }
    }

    private static void verifyOnAnotherCatalog(Method method, Decision decision)
            throws Exception
    {
        String description = "%s on %s".formatted(signature(method), OTHER_CATALOG);
        if (decision == DENIED_FOR_EVERY_CATALOG) {
            Recording recording = new Recording();
            Outcome outcome = invoke(control(new AuditTrail(), recording.control()), method, arguments(method, OTHER_CATALOG, GRANTED, GRANTED, QueryId.valueOf("q" + QUERIES.incrementAndGet())));
            assertThat(outcome.denial()).as(description).hasValueSatisfying(message -> assertThat(message).contains("catalog memory: catalogs are configured by the server's administrators"));
            assertThat(recording.calls).as(description).isEmpty();
            return;
        }
        // allowed as Trino's default allows it
        Outcome outcome = invoke(control(new AuditTrail(), new DefaultSystemAccessControl()), method, arguments(method, OTHER_CATALOG, NOT_GRANTED, NOT_GRANTED, QueryId.valueOf("q" + QUERIES.incrementAndGet())));
        assertThat(outcome.denial()).as(description).isEmpty();
        // asked of the other catalogs' control, with the same arguments
        assertDelegated(method, NOT_GRANTED, NOT_GRANTED);
    }

    private static void assertDelegated(Method method, String user, String otherUser)
            throws Exception
    {
        Recording recording = new Recording();
        Object[] arguments = arguments(method, OTHER_CATALOG, user, otherUser, QueryId.valueOf("q" + QUERIES.incrementAndGet()));
        invoke(control(new AuditTrail(), recording.control()), method, arguments);
        String expected = DELEGATED_AS.getOrDefault(method.getName(), method.getName());
        assertThat(recording.calls).as("%s asks the control of other catalogs", signature(method))
                .extracting(Call::method)
                .contains(expected);
        if (expected.equals(method.getName())) {
            assertThat(recording.calls).filteredOn(call -> call.method().equals(expected)).first().extracting(Call::arguments).isEqualTo(Arrays.asList(arguments));
        }
    }

    private record Outcome(Optional<String> denial, Object result) {}

    private static Outcome invoke(SystemAccessControl control, Method method, Object[] arguments)
            throws Exception
    {
        try {
            return new Outcome(Optional.empty(), method.invoke(control, arguments));
        }
        catch (InvocationTargetException e) {
            if (e.getCause() instanceof AccessDeniedException denied) {
                return new Outcome(Optional.of(denied.getMessage()), null);
            }
            throw e;
        }
    }

    /**
     * Arguments for each parameter: objects of the sample table's schema in the given catalog,
     * the given user as the one asking, and the other user wherever the check names one.
     */
    private static Object[] arguments(Method method, String catalog, String user, String otherUser, QueryId queryId)
    {
        String schema = catalog.equals(MESH) ? "sales" : "default";
        SchemaTableName table = orders(catalog).getSchemaTableName();
        List<Object> arguments = new ArrayList<>();
        for (Parameter parameter : method.getParameters()) {
            assertThat(parameter.isNamePresent()).as("the SPI is compiled with its parameter names").isTrue();
            String name = parameter.getName();
            Class<?> type = parameter.getType();
            Object argument;
            if (type == SystemSecurityContext.class) {
                argument = new SystemSecurityContext(Identity.ofUser(user), queryId, Instant.now());
            }
            else if (type == Identity.class) {
                argument = Identity.ofUser(name.equals("queryOwner") ? otherUser : user);
            }
            else if (type == QueryId.class) {
                argument = queryId;
            }
            else if (type == String.class) {
                argument = switch (name) {
                    case "catalogName", "catalog" -> catalog;
                    case "userName" -> otherUser;
                    case "newSchemaName" -> "renamed";
                    case "propertyName" -> "some_property";
                    case "procedure" -> "optimize";
                    case "role" -> "some_role";
                    case "columnName" -> "order_id";
                    default -> fail("no argument for String %s of %s", name, signature(method));
                };
            }
            else if (type == CatalogSchemaName.class) {
                argument = new CatalogSchemaName(catalog, schema);
            }
            else if (type == CatalogSchemaTableName.class) {
                argument = name.startsWith("new") ? new CatalogSchemaTableName(catalog, schema, "renamed") : orders(catalog);
            }
            else if (type == CatalogSchemaRoutineName.class) {
                argument = new CatalogSchemaRoutineName(catalog, schema, "f");
            }
            else if (type == EntityKindAndName.class) {
                argument = new EntityKindAndName("TABLE", ImmutableList.of(catalog, schema, table.getTableName()));
            }
            else if (type == EntityPrivilege.class) {
                argument = new EntityPrivilege("SELECT");
            }
            else if (type == Privilege.class) {
                argument = Privilege.SELECT;
            }
            else if (type == TrinoPrincipal.class) {
                argument = new TrinoPrincipal(PrincipalType.USER, "carol");
            }
            else if (type == boolean.class) {
                argument = false;
            }
            else if (type == Optional.class) {
                argument = Optional.empty();
            }
            else if (type == io.trino.spi.type.Type.class) {
                argument = BIGINT;
            }
            else if (type == List.class && elementType(parameter, 0) == ColumnSchema.class) {
                argument = ImmutableList.of(ColumnSchema.builder().setName("order_id").setType(BIGINT).build());
            }
            else if (type == Collection.class && elementType(parameter, 0) == Identity.class) {
                argument = ImmutableList.of(Identity.ofUser(user), Identity.ofUser(otherUser));
            }
            else if (type == Map.class && elementType(parameter, 0) == SchemaTableName.class) {
                argument = ImmutableMap.of(table, ImmutableSet.of("order_id"));
            }
            else if (type == Map.class && elementType(parameter, 0) == String.class) {
                argument = ImmutableMap.of();
            }
            else if (type == Set.class && elementType(parameter, 0) == SchemaTableName.class) {
                argument = ImmutableSet.of(table);
            }
            else if (type == Set.class && elementType(parameter, 0) == SchemaFunctionName.class) {
                argument = ImmutableSet.of(new SchemaFunctionName(schema, "f"));
            }
            else if (type == Set.class && elementType(parameter, 0) == TrinoPrincipal.class) {
                argument = ImmutableSet.of(new TrinoPrincipal(PrincipalType.USER, "carol"));
            }
            else if (type == Set.class && elementType(parameter, 0) == String.class) {
                argument = switch (name) {
                    case "columns", "updatedColumnNames" -> ImmutableSet.of("order_id");
                    case "schemaNames" -> ImmutableSet.of(schema);
                    case "catalogs" -> ImmutableSet.of(catalog);
                    case "roles" -> ImmutableSet.of("some_role");
                    default -> fail("no argument for Set<String> %s of %s", name, signature(method));
                };
            }
            else {
                argument = fail("no argument for %s %s of %s", parameter.getParameterizedType(), name, signature(method));
            }
            arguments.add(argument);
        }
        return arguments.toArray();
    }

    private static Type elementType(Parameter parameter, int index)
    {
        return ((ParameterizedType) parameter.getParameterizedType()).getActualTypeArguments()[index];
    }

    /**
     * Whether a parameter names a catalog or something in one.
     */
    private static boolean concernsCatalog(Method method)
    {
        return Arrays.stream(method.getParameters())
                .anyMatch(parameter -> CATALOG_TYPES.contains(parameter.getType())
                        || parameter.getName().toLowerCase(Locale.ROOT).contains("catalog")
                        || (parameter.getParameterizedType() instanceof ParameterizedType parameterized
                                && Arrays.stream(parameterized.getActualTypeArguments()).anyMatch(SchemaTableName.class::equals)));
    }

    /**
     * The object a write names: the first argument in a catalog.
     */
    private static String catalogObject(Object[] arguments)
    {
        for (Object argument : arguments) {
            if (argument instanceof EntityKindAndName entity) {
                return String.join(".", entity.name());
            }
            if (argument != null && CATALOG_TYPES.contains(argument.getClass())) {
                return argument.toString();
            }
        }
        return fail("no object in a catalog among %s", Arrays.asList(arguments));
    }

    private static boolean declaredByMeshAccessControl(Method method)
    {
        try {
            MeshAccessControl.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
            return true;
        }
        catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static List<Method> spiMethods()
    {
        return Arrays.stream(SystemAccessControl.class.getMethods())
                .filter(method -> !Modifier.isStatic(method.getModifiers()) && !method.isSynthetic())
                .toList();
    }

    private static String signature(Method method)
    {
        return method.getName() + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    private static CatalogSchemaTableName orders(String catalog)
    {
        return catalog.equals(MESH) ? new CatalogSchemaTableName(MESH, "sales", "orders") : new CatalogSchemaTableName(catalog, "default", "t");
    }

    private static SystemSecurityContext context(String user)
    {
        return new SystemSecurityContext(Identity.ofUser(user), QueryId.valueOf("q" + QUERIES.incrementAndGet()), Instant.now());
    }

    private static SystemAccessControl control(AuditTrail auditTrail, SystemAccessControl otherCatalogsControl)
    {
        return new MeshAccessControl(() -> POLICY, registries, new RowFilteredTables(), new MeshSecurityConfig(), otherCatalogsControl, auditTrail, ImmutableList.of());
    }

    private record Call(String method, List<Object> arguments) {}

    /**
     * A control of other catalogs that allows everything and records what it is asked.
     */
    private static final class Recording
    {
        private final List<Call> calls = new ArrayList<>();

        SystemAccessControl control()
        {
            return (SystemAccessControl) Proxy.newProxyInstance(SystemAccessControl.class.getClassLoader(), new Class<?>[] {SystemAccessControl.class}, (proxy, method, arguments) -> {
                if (method.getDeclaringClass() == Object.class) {
                    return switch (method.getName()) {
                        case "equals" -> proxy == arguments[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "recording access control";
                    };
                }
                List<Object> recorded = arguments == null ? ImmutableList.of() : Arrays.asList(arguments);
                calls.add(new Call(method.getName(), recorded));
                if (method.getName().startsWith("filter")) {
                    return arguments[arguments.length - 1];
                }
                Class<?> type = method.getReturnType();
                if (type == boolean.class) {
                    return true;
                }
                if (type == Optional.class) {
                    return Optional.empty();
                }
                if (type == List.class) {
                    return ImmutableList.of();
                }
                if (type == Map.class) {
                    return ImmutableMap.of();
                }
                if (type == Iterable.class) {
                    return ImmutableList.of();
                }
                return null;
            });
        }
    }
}
