package dev.datamesh.registry;

import com.google.common.collect.ImmutableList;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.descriptor.DeclaredColumn;
import dev.datamesh.descriptor.DescriptorException;
import dev.datamesh.descriptor.DescriptorProblem;
import dev.datamesh.descriptor.DocumentSchema;
import dev.datamesh.descriptor.LocatedDocument;
import dev.datamesh.descriptor.LocatedDocumentReader;
import dev.datamesh.descriptor.SourcePosition;
import dev.datamesh.policies.AccessGrant;
import dev.datamesh.policies.ColumnSelector;
import dev.datamesh.policies.GlobalPolicy;
import dev.datamesh.policies.ResourceScope;
import dev.datamesh.policies.RuleOrigin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Names in the policy and the descriptors that refer to nothing: a rule scoped to a domain,
 * product or asset no descriptor publishes, a tag no column contract declares, a grant to a role
 * the role mapping does not define. Each is a typo that matches nothing, and a guardrail that
 * matches nothing does not hold; the mesh logs them, {@code validate} fails on them.
 */
public final class PolicyReferences
{
    private PolicyReferences() {}

    public static List<DescriptorProblem> unknownNames(GlobalPolicy policy, Collection<MeshRegistry> registries)
    {
        Set<String> domains = new TreeSet<>();
        Set<String> products = new TreeSet<>();
        Set<String> assets = new TreeSet<>();
        Set<String> tags = new TreeSet<>(Set.of(ColumnSelector.UNCLASSIFIED));
        for (MeshRegistry registry : registries) {
            for (RegisteredAsset asset : registry.assets()) {
                domains.add(asset.product().domain());
                products.add(asset.product().name());
                assets.add(asset.asset().name());
                assets.add(asset.product().name() + "/" + asset.asset().name());
                asset.declaredSchema().ifPresent(schema -> schema.columns().stream().map(DeclaredColumn::tags).forEach(tags::addAll));
            }
        }
        List<DescriptorProblem> problems = new ArrayList<>();
        policy.denials().forEach(rule -> checkRule(rule.origin(), rule.scope(), rule.columns(), domains, products, assets, tags, problems));
        policy.masks().forEach(rule -> checkRule(rule.origin(), rule.scope(), rule.columns(), domains, products, assets, tags, problems));
        policy.rowFilters().forEach(rule -> checkRule(rule.origin(), rule.scope(), ColumnSelector.NONE, domains, products, assets, tags, problems));

        // without a role mapping nobody holds a role, and every grant is of that kind
        if (!policy.roles().members().isEmpty()) {
            List<String> roles = policy.roles().members().keySet().stream().sorted().toList();
            for (MeshRegistry registry : registries) {
                for (DataProductDescriptor product : registry.products()) {
                    checkGrants(product, roles, problems);
                }
            }
        }
        return ImmutableList.copyOf(problems);
    }

    private static void checkRule(RuleOrigin origin, ResourceScope scope, ColumnSelector columns, Set<String> domains, Set<String> products, Set<String> assets, Set<String> tags, List<DescriptorProblem> problems)
    {
        for (String domain : scope.domains()) {
            if (!domains.contains(domain)) {
                Optional<String> bySchema = domains.stream().filter(known -> MeshNames.schemaName(known).equals(domain)).findFirst();
                String hint = bySchema.map(known -> "; '%s' is the schema of domain '%s': scopes name domains as descriptors do".formatted(domain, known))
                        .orElseGet(() -> hint(domain, domains));
                problems.add(problem(origin, "domain", domain, hint));
            }
        }
        for (String product : scope.products()) {
            if (!products.contains(product)) {
                problems.add(problem(origin, "data product", product, hint(product, products)));
            }
        }
        for (String asset : scope.assets()) {
            if (!assets.contains(asset)) {
                problems.add(problem(origin, "data asset", asset, hint(asset, assets)));
            }
        }
        for (String tag : columns.tags()) {
            if (!tags.contains(tag)) {
                problems.add(new DescriptorProblem(position(origin),
                        "rule '%s' selects tag '%s', which no column contract declares, so it covers no column%s".formatted(origin.name(), tag, hint(tag, tags))));
            }
        }
    }

    private static void checkGrants(DataProductDescriptor product, List<String> roles, List<DescriptorProblem> problems)
    {
        List<AccessGrant> grants = product.accessControl();
        LocatedDocument document = null;
        for (int i = 0; i < grants.size(); i++) {
            String role = grants.get(i).role();
            if (roles.contains(role)) {
                continue;
            }
            SourcePosition position = SourcePosition.startOf(product.file());
            try {
                if (document == null) {
                    document = LocatedDocumentReader.read(product.file());
                }
                position = document.positionOf("/access_control/" + i + "/role");
            }
            catch (DescriptorException _) {
                // the descriptor changed since it was loaded: its start is the best place left to point at
            }
            problems.add(new DescriptorProblem(position, "data product '%s' grants %s to role '%s', which the role mapping does not define, so nobody holds that grant%s"
                    .formatted(product.name(), grants.get(i).permission().descriptorName(), role, hint(role, roles))));
        }
    }

    private static DescriptorProblem problem(RuleOrigin origin, String kind, String name, String hint)
    {
        return new DescriptorProblem(position(origin), "rule '%s' is scoped to %s '%s', which no descriptor publishes, so it covers nothing%s".formatted(origin.name(), kind, name, hint));
    }

    private static SourcePosition position(RuleOrigin origin)
    {
        return new SourcePosition(Path.of(origin.file()), origin.line(), 1);
    }

    private static String hint(String name, Collection<String> known)
    {
        return DocumentSchema.closest(name, List.copyOf(known)).map(candidate -> "; did you mean '" + candidate + "'?").orElse("");
    }
}
