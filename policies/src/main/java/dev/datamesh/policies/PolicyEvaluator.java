package dev.datamesh.policies;

import com.google.common.collect.ImmutableList;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

/**
 * Decides what a principal may read. Precedence: a global denial beats every domain grant; a
 * domain grant to one of the principal's roles, or membership of the product's owner team,
 * allows; anything else is denied. Column denials and masks come from the first matching rule in
 * policy order; row filters of every matching rule apply together.
 */
public final class PolicyEvaluator
{
    private static final Pattern ATTRIBUTE = Pattern.compile("\\$\\{attribute\\.([A-Za-z0-9_-]+)}");

    private final GlobalPolicy policy;
    private final List<DenyRule> assetDenials;
    private final List<DenyRule> columnDenials;

    public PolicyEvaluator(GlobalPolicy policy)
    {
        this.policy = requireNonNull(policy, "policy is null");
        this.assetDenials = policy.denials().stream().filter(DenyRule::deniesAsset).collect(toImmutableList());
        this.columnDenials = policy.denials().stream().filter(rule -> !rule.deniesAsset()).collect(toImmutableList());
    }

    public GlobalPolicy policy()
    {
        return policy;
    }

    public Principal principal(Subject subject)
    {
        return policy.roles().principal(subject);
    }

    /**
     * Whether the principal may read the asset; no reasons are worded, for listing many tables.
     */
    public boolean mayRead(Principal principal, GovernedAsset asset)
    {
        boolean owner = principal.isOwner(asset.owner());
        return denial(principal, asset, owner).isEmpty() && (owner || grant(principal, asset).isPresent());
    }

    /**
     * Whether a global denial keeps the principal from the whole asset, whatever is granted.
     */
    public boolean isDenied(Principal principal, GovernedAsset asset)
    {
        return denial(principal, asset, principal.isOwner(asset.owner())).isPresent();
    }

    public AccessDecision canRead(Principal principal, GovernedAsset asset)
    {
        boolean owner = principal.isOwner(asset.owner());
        Optional<DenyRule> denial = denial(principal, asset, owner);
        if (denial.isPresent()) {
            return AccessDecision.deny("%s is denied to user '%s' by %s".formatted(asset.productDescription(), principal.user(), denial.orElseThrow().origin()));
        }
        if (owner) {
            return AccessDecision.allow("user '%s' belongs to '%s', the owner of %s".formatted(principal.user(), asset.owner(), asset.productDescription()));
        }
        Optional<AccessGrant> grant = grant(principal, asset);
        if (grant.isPresent()) {
            return AccessDecision.allow("role '%s' has a %s grant on %s".formatted(grant.orElseThrow().role(), grant.orElseThrow().permission().descriptorName(), asset.productDescription()));
        }
        return AccessDecision.deny(missingGrant(principal, asset));
    }

    /**
     * The whole decision on the principal reading the asset.
     */
    public ReadDecision decide(Principal principal, GovernedAsset asset)
    {
        AccessDecision access = canRead(principal, asset);
        if (!access.allowed()) {
            return new ReadDecision(access, asset, principal.user(), ImmutableList.of(), ImmutableList.of(), ImmutableList.of());
        }
        boolean owner = principal.isOwner(asset.owner());
        List<RowFilterDecision> rowFilters = new ArrayList<>();
        for (RowFilterRule rule : policy.rowFilters()) {
            if (rule.matches(principal, asset, owner)) {
                rowFilters.add(new RowFilterDecision(withAttributes(rule.expression(), principal), rule.origin()));
            }
        }
        return new ReadDecision(
                access,
                asset,
                principal.user(),
                columnDenials.stream().filter(rule -> rule.matches(principal, asset, owner)).collect(toImmutableList()),
                policy.masks().stream().filter(rule -> rule.matches(principal, asset, owner)).collect(toImmutableList()),
                rowFilters);
    }

    /**
     * Whether the principal may compute the statistics of the asset (Trino's ANALYZE): they
     * describe all of its rows and columns, and the optimizer and every reader's SHOW STATS use
     * them, so the team that owns the product and the platform's statistics roles may, no one else.
     * Reading the asset is decided on its own.
     *
     * @param statisticsRoles the roles the platform lets compute the statistics of every asset
     */
    public AccessDecision canComputeStatistics(Principal principal, GovernedAsset asset, Set<String> statisticsRoles)
    {
        if (principal.isOwner(asset.owner())) {
            return AccessDecision.allow("user '%s' belongs to '%s', the owner of %s".formatted(principal.user(), asset.owner(), asset.productDescription()));
        }
        Optional<String> role = statisticsRoles.stream().filter(principal.roles()::contains).sorted().findFirst();
        if (role.isPresent()) {
            return AccessDecision.allow("role '%s' may compute the statistics of every data product".formatted(role.orElseThrow()));
        }
        String roles = statisticsRoles.isEmpty() ? "" : statisticsRoles.stream().sorted().collect(joining(", ", " and roles [", "]"));
        return AccessDecision.deny("only the owners of %s, team '%s',%s may compute its statistics".formatted(asset.productDescription(), asset.owner(), roles));
    }

    public AccessDecision canImpersonate(Principal principal, String user)
    {
        if (principal.user().equals(user)) {
            return AccessDecision.allow("user '%s' acts as itself".formatted(user));
        }
        return policy.impersonation().stream()
                .filter(rule -> rule.allows(principal, user))
                .findFirst()
                .map(rule -> AccessDecision.allow("user '%s' may act as '%s' by %s".formatted(principal.user(), user, rule.origin())))
                .orElseGet(() -> AccessDecision.deny("user '%s' may not act as user '%s': no impersonation rule allows it".formatted(principal.user(), user)));
    }

    private Optional<DenyRule> denial(Principal principal, GovernedAsset asset, boolean owner)
    {
        for (DenyRule rule : assetDenials) {
            if (rule.matches(principal, asset, owner)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    private static Optional<AccessGrant> grant(Principal principal, GovernedAsset asset)
    {
        for (AccessGrant grant : asset.grants()) {
            if (principal.roles().contains(grant.role())) {
                return Optional.of(grant);
            }
        }
        return Optional.empty();
    }

    private static String missingGrant(Principal principal, GovernedAsset asset)
    {
        if (principal.roles().isEmpty()) {
            return "user '%s' has no role with a read grant on %s".formatted(principal.user(), asset.productDescription());
        }
        String roles = principal.roles().stream().sorted().map(role -> "'" + role + "'").collect(joining(", "));
        return "%s %s %s no read grant on %s".formatted(principal.roles().size() == 1 ? "role" : "roles", roles, principal.roles().size() == 1 ? "has" : "have", asset.productDescription());
    }

    /**
     * The expression with each attribute reference replaced by the principal's values as SQL
     * literals; a principal without the attribute gets a filter that keeps no row.
     */
    private static String withAttributes(String expression, Principal principal)
    {
        Matcher matcher = ATTRIBUTE.matcher(expression);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            List<String> values = principal.attributes().getOrDefault(matcher.group(1), ImmutableList.of());
            if (values.isEmpty()) {
                return "false";
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(values.stream().map(PolicyEvaluator::sqlLiteral).collect(joining(", "))));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static String sqlLiteral(String value)
    {
        return "'" + value.replace("'", "''") + "'";
    }
}
