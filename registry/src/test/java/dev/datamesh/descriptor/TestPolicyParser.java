package dev.datamesh.descriptor;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.policies.ColumnMaskRule;
import dev.datamesh.policies.ColumnSelector;
import dev.datamesh.policies.DenyRule;
import dev.datamesh.policies.GlobalPolicy;
import dev.datamesh.policies.Mask;
import dev.datamesh.policies.Principals;
import dev.datamesh.policies.ResourceScope;
import dev.datamesh.policies.RoleMapping;
import dev.datamesh.policies.RowFilterRule;
import dev.datamesh.policies.RuleOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestPolicyParser
{
    // SQL is checked with Trino's parser, in the plugin's tests
    private static final SqlSyntax NO_SQL_PROBLEMS = _ -> Optional.empty();

    private static final String ROLES = """
            roles:
              analyst:
                description: Reads published products
                groups: [analysts]
              customer-service:
                groups: [agents]
                users: [agatha]
                attributes: {region: AMER}
            users:
              erik:
                attributes: {region: [EMEA, APAC]}
            """;

    private static final String PII = """
            column_masks:
              - name: pii-hashed
                columns: {tags: [pii]}
                applies_to: {roles: [analyst]}
                except: {owner: true}
                mask: hash
              - name: phone-partial
                scope: {domains: [customer-service], products: [customer-data-product], assets: [customer_profile]}
                columns: {names: [Phone]}
                mask: expression
                expression: "substr(${column}, 1, 3)"
            denials:
              - name: no-contractors
                scope: {domains: [customer-service]}
                applies_to: {groups: [contractors]}
            """;

    private static final String ROWS = """
            row_filters:
              - name: region
                applies_to: {roles: [customer-service]}
                filter: "region IN (${attribute.region})"
            impersonation:
              - name: bi-service
                applies_to: {users: [superset]}
                users: "[a-z]+"
            """;

    @TempDir
    Path directory;

    @Test
    void testRolesAndPolicyFiles()
            throws Exception
    {
        Path roles = write("roles.yaml", ROLES);
        Path policies = Files.createDirectories(directory.resolve("policies"));
        Path pii = write("policies/pii.yaml", PII);
        Path rows = write("policies/rows.yml", ROWS);
        write("policies/README.md", "not a policy");

        GlobalPolicy policy = PolicyParser.parse(Optional.of(roles), Optional.of(policies), NO_SQL_PROBLEMS);
        assertThat(policy.roles()).isEqualTo(new RoleMapping(
                ImmutableMap.of(
                        "analyst", new RoleMapping.Members(ImmutableSet.of(), ImmutableSet.of("analysts")),
                        "customer-service", new RoleMapping.Members(ImmutableSet.of("agatha"), ImmutableSet.of("agents"))),
                ImmutableMap.of("analyst", ImmutableMap.of(), "customer-service", ImmutableMap.of("region", ImmutableList.of("AMER"))),
                ImmutableMap.of("erik", ImmutableMap.of("region", ImmutableList.of("EMEA", "APAC")))));
        assertThat(policy.masks()).containsExactly(
                new ColumnMaskRule(new RuleOrigin("pii-hashed", pii.toString(), 2), ResourceScope.EVERYWHERE, new ColumnSelector(ImmutableSet.of("pii"), ImmutableSet.of()),
                        new Principals(ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of("analyst"), false), new Principals(ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of(), true), Mask.of(Mask.Kind.HASH)),
                new ColumnMaskRule(new RuleOrigin("phone-partial", pii.toString(), 7),
                        new ResourceScope(ImmutableSet.of("customer-service"), ImmutableSet.of("customer-data-product"), ImmutableSet.of("customer_profile")),
                        new ColumnSelector(ImmutableSet.of(), ImmutableSet.of("phone")), Principals.EVERYONE, Principals.EVERYONE, Mask.expression("substr(${column}, 1, 3)")));
        assertThat(policy.denials()).containsExactly(new DenyRule(new RuleOrigin("no-contractors", pii.toString(), 13),
                new ResourceScope(ImmutableSet.of("customer-service"), ImmutableSet.of(), ImmutableSet.of()), ColumnSelector.NONE,
                new Principals(ImmutableSet.of(), ImmutableSet.of("contractors"), ImmutableSet.of(), false), Principals.EVERYONE));
        assertThat(policy.rowFilters()).containsExactly(new RowFilterRule(new RuleOrigin("region", rows.toString(), 2), ResourceScope.EVERYWHERE,
                new Principals(ImmutableSet.of(), ImmutableSet.of(), ImmutableSet.of("customer-service"), false), Principals.EVERYONE, "region IN (${attribute.region})"));
        assertThat(policy.impersonation()).singleElement().satisfies(rule -> {
            assertThat(rule.origin()).isEqualTo(new RuleOrigin("bi-service", rows.toString(), 6));
            assertThat(rule.users().pattern()).isEqualTo("[a-z]+");
        });
        assertThat(PolicyParser.policyFiles(Optional.of(policies))).containsExactly(pii, rows);
    }

    @Test
    void testNoFilesIsTheEmptyPolicy()
            throws Exception
    {
        assertThat(PolicyParser.parse(Optional.empty(), Optional.empty(), NO_SQL_PROBLEMS)).isEqualTo(GlobalPolicy.EMPTY);
    }

    @Test
    void testEveryProblemOfEveryFileIsReported()
            throws Exception
    {
        Path roles = write("roles.yaml", """
                roles:
                  analyst:
                    group: [analysts]
                """);
        Path policies = Files.createDirectories(directory.resolve("policies"));
        Path blur = write("policies/a-blur.yaml", """
                column_masks:
                  - name: pii
                    columns: {tags: [pii]}
                    mask: blur
                """);
        Path masks = write("policies/b-masks.yaml", """
                column_masks:
                  - name: expression
                    columns: {tags: [pii]}
                    mask: expression
                    expression: "substr(${col}, 1, 2)"
                  - name: no-expression
                    columns: {tags: [pii]}
                    mask: expression
                  - name: stray-expression
                    columns: {tags: [pii]}
                    mask: hash
                    expression: "x"
                """);
        Path filters = write("policies/c-filters.yaml", """
                row_filters:
                  - name: expression
                    filter: "region = ${region}"
                impersonation:
                  - name: broken-pattern
                    applies_to: {users: [superset]}
                    users: "[a-z"
                """);
        assertProblems(Optional.of(roles), Optional.of(policies),
                roles + ":3:5: unknown field 'group'; did you mean 'groups'? (allowed here: description, users, groups, attributes)",
                blur + ":4:11: 'column_masks[0].mask' has unsupported value 'blur'; use one of: redact, hash, null, partial, expression",
                masks + ":5:17: unknown placeholder ${col}; only ${column} may be used here",
                masks + ":8:11: mask: expression needs expression:, the SQL the column reads as (${column} stands for the column)",
                masks + ":12:17: expression: is used with mask: expression only; this rule's mask is hash",
                filters + ":2:11: rule 'expression' is already defined at " + masks + ":2; rule names are quoted in denials and audit lines and must be unique",
                filters + ":3:13: unknown placeholder ${region}; only ${attribute.NAME} may be used here",
                filters + ":7:12: 'users' is not a valid regular expression: Unclosed character class");
    }

    @Test
    void testRolesNobodyHoldsAreRejected()
            throws Exception
    {
        Path roles = write("roles.yaml", ROLES);
        Path policies = Files.createDirectories(directory.resolve("policies"));
        Path typo = write("policies/typo.yaml", """
                column_masks:
                  - name: pii-hashed
                    columns: {tags: [pii]}
                    applies_to: {roles: [analysts, data-scientist]}
                    except: {roles: [customer-service]}
                    mask: hash
                """);
        assertProblems(Optional.of(roles), Optional.of(policies),
                typo + ":4:26: role 'analysts' is not defined in the role mapping; did you mean 'analyst'? (roles: analyst, customer-service)",
                typo + ":4:36: role 'data-scientist' is not defined in the role mapping (roles: analyst, customer-service)");
        assertProblems(Optional.empty(), Optional.of(policies),
                typo + ":4:26: role 'analysts' is not defined in the role mapping; no role mapping is configured (mesh.security.roles-file), so nobody holds a role",
                typo + ":4:36: role 'data-scientist' is not defined in the role mapping; no role mapping is configured (mesh.security.roles-file), so nobody holds a role",
                typo + ":5:22: role 'customer-service' is not defined in the role mapping; no role mapping is configured (mesh.security.roles-file), so nobody holds a role");
    }

    @Test
    void testBrokenYamlNamesTheLine()
            throws Exception
    {
        Path policies = Files.createDirectories(directory.resolve("policies"));
        Path broken = write("policies/broken.yaml", """
                denials:
                  - name: a
                    scope: {domains: [x]
                """);
        assertThatThrownBy(() -> PolicyParser.parse(Optional.empty(), Optional.of(policies), NO_SQL_PROBLEMS))
                .isInstanceOf(DescriptorException.class)
                .hasMessageStartingWith(broken + ":");
    }

    private static void assertProblems(Optional<Path> roles, Optional<Path> policies, String... expected)
    {
        assertThatThrownBy(() -> PolicyParser.parse(roles, policies, NO_SQL_PROBLEMS))
                .isInstanceOfSatisfying(DescriptorException.class, e -> assertThat(e.problems())
                        .extracting(DescriptorProblem::toString)
                        .isEqualTo(List.of(expected)));
    }

    private Path write(String name, String text)
            throws IOException
    {
        Path file = directory.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
