package dev.datamesh.policies;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class TestPolicyEvaluator
{
    private static final RuleOrigin NO_CONTRACTORS = new RuleOrigin("no-contractors", "policies/deny.yaml", 3);
    private static final RuleOrigin SECRET_COLUMNS = new RuleOrigin("secret-columns", "policies/deny.yaml", 9);
    private static final RuleOrigin PII_HASHED = new RuleOrigin("pii-hashed", "policies/pii.yaml", 2);
    private static final RuleOrigin PII_NULL = new RuleOrigin("pii-null", "policies/pii.yaml", 8);
    private static final RuleOrigin REGION = new RuleOrigin("region", "policies/rows.yaml", 2);
    private static final RuleOrigin NOT_TEST = new RuleOrigin("not-test", "policies/rows.yaml", 7);
    private static final RuleOrigin BI_SERVICE = new RuleOrigin("bi-service", "policies/people.yaml", 2);

    private static final GovernedAsset CUSTOMERS = new GovernedAsset(
            "customer-service",
            "customer-data-product",
            "customer_profile",
            "customer-data-team",
            ImmutableList.of(new AccessGrant("data-scientist", Permission.READ), new AccessGrant("customer-service", Permission.READ_WRITE), new AccessGrant("analyst", Permission.READ)),
            ImmutableMap.of("email", ImmutableSet.of("pii"), "phone", ImmutableSet.of("pii", "contact"), "ssn", ImmutableSet.of("secret")));
    private static final GovernedAsset ORDERS = new GovernedAsset(
            "sales",
            "order-data-product",
            "orders",
            "sales-team",
            ImmutableList.of(new AccessGrant("analyst", Permission.READ)),
            ImmutableMap.of());

    private final PolicyEvaluator evaluator = new PolicyEvaluator(new GlobalPolicy(
            new RoleMapping(
                    ImmutableMap.of(
                            "analyst", new RoleMapping.Members(ImmutableSet.of("ann"), ImmutableSet.of("analysts")),
                            "data-scientist", new RoleMapping.Members(ImmutableSet.of(), ImmutableSet.of("data-science")),
                            "customer-service", new RoleMapping.Members(ImmutableSet.of(), ImmutableSet.of("agents", "agents-emea"))),
                    ImmutableMap.of("customer-service", ImmutableMap.of("region", ImmutableList.of("AMER"))),
                    ImmutableMap.of("erik", ImmutableMap.of("region", ImmutableList.of("EMEA", "APAC")))),
            ImmutableList.of(
                    new DenyRule(NO_CONTRACTORS, new ResourceScope(ImmutableSet.of("customer-service"), ImmutableSet.of(), ImmutableSet.of()), ColumnSelector.NONE,
                            new Principals(ImmutableSet.of(), ImmutableSet.of("contractors"), ImmutableSet.of(), false), Principals.EVERYONE),
                    new DenyRule(SECRET_COLUMNS, ResourceScope.EVERYWHERE, new ColumnSelector(ImmutableSet.of("secret"), ImmutableSet.of()),
                            Principals.EVERYONE, new Principals(ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of(), true))),
            ImmutableList.of(
                    new ColumnMaskRule(PII_HASHED, ResourceScope.EVERYWHERE, new ColumnSelector(ImmutableSet.of("pii"), ImmutableSet.of()),
                            new Principals(ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of("analyst"), false), new Principals(ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of(), true), Mask.of(Mask.Kind.HASH)),
                    new ColumnMaskRule(PII_NULL, ResourceScope.EVERYWHERE, new ColumnSelector(ImmutableSet.of("contact"), ImmutableSet.of("email")),
                            Principals.EVERYONE, new Principals(ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of("customer-service"), true), Mask.of(Mask.Kind.NULL))),
            ImmutableList.of(
                    new RowFilterRule(REGION, new ResourceScope(ImmutableSet.of(), ImmutableSet.of("customer-data-product"), ImmutableSet.of()),
                            new Principals(ImmutableSet.of("erik"), ImmutableSet.of(), ImmutableSet.of("customer-service"), false), Principals.EVERYONE, "region IN (${attribute.region})"),
                    new RowFilterRule(NOT_TEST, ResourceScope.EVERYWHERE, Principals.EVERYONE, new Principals(ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of(), true), "NOT is_test")),
            ImmutableList.of(new ImpersonationRule(BI_SERVICE, new Principals(ImmutableSet.of("superset"), ImmutableSet.of(), ImmutableSet.of(), false), Pattern.compile("[a-z]+")))));

    @Test
    void testRolesAndAttributesFromGroupsAndUsers()
    {
        Principal agent = principal("agatha", "agents", "agents-emea");
        assertThat(agent.roles()).containsExactly("customer-service");
        assertThat(agent.attributes()).isEqualTo(ImmutableMap.of("region", ImmutableList.of("AMER")));
        Principal ann = principal("ann");
        assertThat(ann.roles()).containsExactly("analyst");
        assertThat(principal("erik").attributes()).isEqualTo(ImmutableMap.of("region", ImmutableList.of("EMEA", "APAC")));
        assertThat(principal("nobody", "strangers").roles()).isEmpty();
    }

    @Test
    void testDomainGrantsAndDefaultDeny()
    {
        assertThat(evaluator.canRead(principal("ann"), CUSTOMERS))
                .isEqualTo(AccessDecision.allow("role 'analyst' has a read grant on data product 'customer-data-product' (domain customer-service)"));
        assertThat(evaluator.canRead(principal("agatha", "agents"), CUSTOMERS))
                .isEqualTo(AccessDecision.allow("role 'customer-service' has a read-write grant on data product 'customer-data-product' (domain customer-service)"));
        assertThat(evaluator.canRead(principal("agatha", "agents"), ORDERS))
                .isEqualTo(AccessDecision.deny("role 'customer-service' has no read grant on data product 'order-data-product' (domain sales)"));
        assertThat(evaluator.canRead(principal("dual", "agents", "data-science"), ORDERS))
                .isEqualTo(AccessDecision.deny("roles 'customer-service', 'data-scientist' have no read grant on data product 'order-data-product' (domain sales)"));
        assertThat(evaluator.canRead(principal("nobody"), ORDERS))
                .isEqualTo(AccessDecision.deny("user 'nobody' has no role with a read grant on data product 'order-data-product' (domain sales)"));
        assertThat(evaluator.mayRead(principal("nobody"), ORDERS)).isFalse();
        assertThat(evaluator.mayRead(principal("ann"), ORDERS)).isTrue();
    }

    @Test
    void testOwnerTeamReadsItsOwnProducts()
    {
        Principal owner = principal("olga", "customer-data-team");
        assertThat(evaluator.canRead(owner, CUSTOMERS))
                .isEqualTo(AccessDecision.allow("user 'olga' belongs to 'customer-data-team', the owner of data product 'customer-data-product' (domain customer-service)"));
        assertThat(evaluator.canRead(owner, ORDERS).allowed()).isFalse();
    }

    @Test
    void testGlobalDenialBeatsDomainGrant()
    {
        Principal contractor = principal("carl", "analysts", "contractors");
        assertThat(evaluator.canRead(contractor, CUSTOMERS))
                .isEqualTo(AccessDecision.deny("data product 'customer-data-product' (domain customer-service) is denied to user 'carl' by global policy 'no-contractors' (policies/deny.yaml:3)"));
        assertThat(evaluator.mayRead(contractor, CUSTOMERS)).isFalse();
        assertThat(evaluator.canRead(contractor, ORDERS).allowed()).isTrue();
        // not even the owner team escapes a global denial that does not except it
        assertThat(evaluator.canRead(principal("olga", "customer-data-team", "contractors"), CUSTOMERS).allowed()).isFalse();
    }

    @Test
    void testColumnsDeniedMaskedAndRowsFiltered()
    {
        ReadDecision analyst = evaluator.decide(principal("ann"), CUSTOMERS);
        assertThat(analyst.access().allowed()).isTrue();
        assertThat(analyst.columnDenial("customer_id")).isEmpty();
        assertThat(analyst.columnDenial("ssn")).contains(AccessDecision.deny(
                "column 'ssn' of data product 'customer-data-product' (domain customer-service) is denied to user 'ann' by global policy 'secret-columns' (policies/deny.yaml:9)"));
        // the first matching rule masks a column: pii-hashed for both pii columns; a denied column has no mask
        assertThat(analyst.mask("email")).contains(new ColumnMaskDecision("email", Mask.of(Mask.Kind.HASH), PII_HASHED));
        assertThat(analyst.mask("phone")).contains(new ColumnMaskDecision("phone", Mask.of(Mask.Kind.HASH), PII_HASHED));
        assertThat(analyst.mask("region")).isEmpty();
        assertThat(analyst.mask("ssn")).isEmpty();
        assertThat(analyst.rowFilters()).containsExactly(new RowFilterDecision("NOT is_test", NOT_TEST));

        ReadDecision scientist = evaluator.decide(principal("sam", "data-science"), CUSTOMERS);
        assertThat(scientist.mask("email")).contains(new ColumnMaskDecision("email", Mask.of(Mask.Kind.NULL), PII_NULL));
        assertThat(scientist.mask("phone")).contains(new ColumnMaskDecision("phone", Mask.of(Mask.Kind.NULL), PII_NULL));

        ReadDecision agent = evaluator.decide(principal("agatha", "agents"), CUSTOMERS);
        assertThat(agent.mask("email")).isEmpty();
        assertThat(agent.mask("phone")).isEmpty();
        assertThat(agent.columnDenial("ssn")).isPresent();
        assertThat(agent.rowFilters()).containsExactly(
                new RowFilterDecision("region IN ('AMER')", REGION),
                new RowFilterDecision("NOT is_test", NOT_TEST));

        ReadDecision owner = evaluator.decide(principal("olga", "customer-data-team"), CUSTOMERS);
        assertThat(owner.mask("email")).isEmpty();
        assertThat(owner.columnDenial("ssn")).isEmpty();
        assertThat(owner.rowFilters()).isEmpty();
    }

    @Test
    void testAttributesBecomeLiteralsAndMissingAttributesKeepNoRow()
    {
        Principal erik = new Principal(new Subject("erik", ImmutableSet.of("analysts")), ImmutableSet.of("analyst"), ImmutableMap.of("region", ImmutableList.of("EMEA", "O'Hare")));
        assertThat(evaluator.decide(erik, CUSTOMERS).rowFilters().getFirst())
                .isEqualTo(new RowFilterDecision("region IN ('EMEA', 'O''Hare')", REGION));
        Principal withoutRegion = new Principal(new Subject("erik", ImmutableSet.of()), ImmutableSet.of("analyst"), ImmutableMap.of());
        assertThat(evaluator.decide(withoutRegion, CUSTOMERS).rowFilters().getFirst())
                .isEqualTo(new RowFilterDecision("false", REGION));
    }

    @Test
    void testDeniedTableHasNoColumnDecisions()
    {
        ReadDecision decision = evaluator.decide(principal("nobody"), CUSTOMERS);
        assertThat(decision.access().allowed()).isFalse();
        assertThat(decision.mask("email")).isEmpty();
        assertThat(decision.rowFilters()).isEmpty();
    }

    @Test
    void testStatisticsAreComputedByOwnersAndStatisticsRoles()
    {
        Set<String> statisticsRoles = ImmutableSet.of("data-scientist", "analyst");
        assertThat(evaluator.canComputeStatistics(principal("olga", "customer-data-team"), CUSTOMERS, statisticsRoles))
                .isEqualTo(AccessDecision.allow("user 'olga' belongs to 'customer-data-team', the owner of data product 'customer-data-product' (domain customer-service)"));
        assertThat(evaluator.canComputeStatistics(principal("dora", "data-science"), CUSTOMERS, statisticsRoles))
                .isEqualTo(AccessDecision.allow("role 'data-scientist' may compute the statistics of every data product"));
        // a read-write grant is the domain's, not the platform's: it computes no statistics
        assertThat(evaluator.canComputeStatistics(principal("agatha", "agents"), CUSTOMERS, statisticsRoles))
                .isEqualTo(AccessDecision.deny("only the owners of data product 'customer-data-product' (domain customer-service), team 'customer-data-team', and roles [analyst, data-scientist] may compute its statistics"));
        assertThat(evaluator.canComputeStatistics(principal("dora", "data-science"), CUSTOMERS, ImmutableSet.of()))
                .isEqualTo(AccessDecision.deny("only the owners of data product 'customer-data-product' (domain customer-service), team 'customer-data-team', may compute its statistics"));
    }

    @Test
    void testImpersonation()
    {
        assertThat(evaluator.canImpersonate(principal("superset"), "ann"))
                .isEqualTo(AccessDecision.allow("user 'superset' may act as 'ann' by global policy 'bi-service' (policies/people.yaml:2)"));
        assertThat(evaluator.canImpersonate(principal("superset"), "Ann").allowed()).isFalse();
        assertThat(evaluator.canImpersonate(principal("ann"), "ann").allowed()).isTrue();
        assertThat(evaluator.canImpersonate(principal("ann"), "superset"))
                .isEqualTo(AccessDecision.deny("user 'ann' may not act as user 'superset': no impersonation rule allows it"));
    }

    @Test
    void testEmptyPolicyDeniesEverything()
    {
        PolicyEvaluator empty = new PolicyEvaluator(GlobalPolicy.EMPTY);
        Principal principal = empty.principal(new Subject("ann", ImmutableSet.of("analysts")));
        assertThat(principal.roles()).isEmpty();
        assertThat(empty.canRead(principal, ORDERS).allowed()).isFalse();
        assertThat(empty.decide(principal, ORDERS).access().reason())
                .isEqualTo("user 'ann' has no role with a read grant on data product 'order-data-product' (domain sales)");
    }

    @Test
    void testUnclassifiedSelectsColumnsWithoutTags()
    {
        ColumnMaskRule unclassified = new ColumnMaskRule(new RuleOrigin("unclassified-null", "policies/classify.yaml", 2), ResourceScope.EVERYWHERE,
                new ColumnSelector(ImmutableSet.of(ColumnSelector.UNCLASSIFIED), ImmutableSet.of()),
                Principals.EVERYONE, new Principals(ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of(), true), Mask.of(Mask.Kind.NULL));
        PolicyEvaluator classifying = new PolicyEvaluator(new GlobalPolicy(evaluator.policy().roles(), ImmutableList.of(), ImmutableList.of(unclassified), ImmutableList.of(), ImmutableList.of()));
        Principal analyst = classifying.principal(new Subject("ann", ImmutableSet.of()));

        ReadDecision customers = classifying.decide(analyst, CUSTOMERS);
        assertThat(customers.mask("email")).isEmpty();
        // declared without a tag, or not declared at all (an asset without schema: declares none)
        assertThat(customers.mask("customer_id").map(ColumnMaskDecision::mask)).contains(Mask.of(Mask.Kind.NULL));
        assertThat(classifying.decide(analyst, ORDERS).mask("amount").map(mask -> mask.rule().name())).contains("unclassified-null");
        assertThat(classifying.decide(classifying.principal(new Subject("olga", ImmutableSet.of("sales-team"))), ORDERS).mask("amount")).isEmpty();
    }

    private Principal principal(String user, String... groups)
    {
        return evaluator.principal(new Subject(user, ImmutableSet.copyOf(groups)));
    }
}
