package dev.datamesh.descriptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.datamesh.policies.ColumnMaskRule;
import dev.datamesh.policies.ColumnSelector;
import dev.datamesh.policies.DenyRule;
import dev.datamesh.policies.GlobalPolicy;
import dev.datamesh.policies.ImpersonationRule;
import dev.datamesh.policies.Mask;
import dev.datamesh.policies.Principals;
import dev.datamesh.policies.ResourceScope;
import dev.datamesh.policies.RoleMapping;
import dev.datamesh.policies.RowFilterRule;
import dev.datamesh.policies.RuleOrigin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static java.util.Objects.requireNonNull;

/**
 * Reads the role mapping file and the global policy files: YAML syntax, the shipped JSON Schemas,
 * then what a schema cannot check (rule names unique across files, placeholders, patterns, the SQL
 * of filters and masks). The
 * policy is taken whole or not at all: one problem in any file rejects it, so that a half-read
 * policy never replaces a complete one.
 */
public final class PolicyParser
{
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern ATTRIBUTE = Pattern.compile("attribute\\.[A-Za-z0-9_-]+");

    private PolicyParser() {}

    /**
     * The policy of a role mapping file and a folder of policy files ({@code *.yaml}, {@code *.yml},
     * read in name order); either may be absent.
     */
    public static GlobalPolicy parse(Optional<Path> rolesFile, Optional<Path> policiesDirectory, SqlSyntax sqlSyntax)
            throws DescriptorException
    {
        List<DescriptorProblem> problems = new ArrayList<>();
        RoleMapping roles = RoleMapping.EMPTY;
        boolean rolesKnown = true;
        if (rolesFile.isPresent()) {
            try {
                roles = parseRoles(rolesFile.orElseThrow());
            }
            catch (DescriptorException e) {
                problems.addAll(e.problems());
                rolesKnown = false;
            }
        }
        // a role nobody can hold makes a rule that never applies: a typo that would loosen a guardrail
        Rules rules = new Rules(rolesKnown ? Optional.of(roles.members().keySet()) : Optional.empty(), rolesFile.isPresent(), sqlSyntax);
        for (Path file : policyFiles(policiesDirectory, problems)) {
            try {
                parsePolicyFile(file, rules, problems);
            }
            catch (DescriptorException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new DescriptorException(problems);
        }
        return new GlobalPolicy(roles, rules.denials.build(), rules.masks.build(), rules.rowFilters.build(), rules.impersonation.build(), rules.publicCatalog);
    }

    /**
     * The files a policy is read from, for noticing changes.
     */
    public static List<Path> policyFiles(Optional<Path> policiesDirectory)
    {
        return policyFiles(policiesDirectory, new ArrayList<>());
    }

    private static List<Path> policyFiles(Optional<Path> policiesDirectory, List<DescriptorProblem> problems)
    {
        if (policiesDirectory.isEmpty()) {
            return ImmutableList.of();
        }
        Path directory = policiesDirectory.orElseThrow();
        try (Stream<Path> files = Files.list(directory)) {
            return files
                    .filter(file -> Files.isRegularFile(file) && isYaml(file.getFileName().toString()))
                    .sorted()
                    .collect(toImmutableList());
        }
        catch (IOException e) {
            problems.add(new DescriptorProblem(SourcePosition.startOf(directory), "cannot list the policy folder: " + e));
            return ImmutableList.of();
        }
    }

    private static boolean isYaml(String name)
    {
        String lower = name.toLowerCase(Locale.ROOT);
        return (lower.endsWith(".yaml") || lower.endsWith(".yml")) && !lower.startsWith(".");
    }

    public static RoleMapping parseRoles(Path file)
            throws DescriptorException
    {
        LocatedDocument document = LocatedDocumentReader.read(file);
        List<DescriptorProblem> problems = DocumentSchema.ROLES.validate(document);
        if (!problems.isEmpty()) {
            throw new DescriptorException(problems);
        }
        ImmutableMap.Builder<String, RoleMapping.Members> members = ImmutableMap.builder();
        ImmutableMap.Builder<String, Map<String, List<String>>> roleAttributes = ImmutableMap.builder();
        document.root().path("roles").properties().forEach(role -> {
            members.put(role.getKey(), new RoleMapping.Members(names(role.getValue().path("users")), names(role.getValue().path("groups"))));
            roleAttributes.put(role.getKey(), attributes(role.getValue().path("attributes")));
        });
        ImmutableMap.Builder<String, Map<String, List<String>>> userAttributes = ImmutableMap.builder();
        document.root().path("users").properties().forEach(user -> userAttributes.put(user.getKey(), attributes(user.getValue().path("attributes"))));
        return new RoleMapping(members.buildOrThrow(), roleAttributes.buildOrThrow(), userAttributes.buildOrThrow());
    }

    private static void parsePolicyFile(Path file, Rules rules, List<DescriptorProblem> problems)
            throws DescriptorException
    {
        LocatedDocument document = LocatedDocumentReader.read(file);
        List<DescriptorProblem> schemaProblems = DocumentSchema.POLICY.validate(document);
        if (!schemaProblems.isEmpty()) {
            throw new DescriptorException(schemaProblems);
        }
        JsonNode root = document.root();
        forEachRule(document, "denials", rules, problems, (rule, pointer, origin) -> rules.denials.add(new DenyRule(
                origin,
                scope(rule.path("scope")),
                columns(rule.path("columns")),
                principals(document, pointer + "/applies_to", rules, problems),
                principals(document, pointer + "/except", rules, problems))));
        forEachRule(document, "column_masks", rules, problems, (rule, pointer, origin) -> {
            Mask.Kind kind = Mask.Kind.valueOf(rule.get("mask").asText().toUpperCase(Locale.ROOT));
            Optional<String> expression = Optional.ofNullable(rule.get("expression")).map(JsonNode::asText);
            if (kind == Mask.Kind.EXPRESSION && expression.isEmpty()) {
                problems.add(new DescriptorProblem(document.positionOf(pointer + "/mask"), "mask: expression needs expression:, the SQL the column reads as (${column} stands for the column)"));
                return;
            }
            if (kind != Mask.Kind.EXPRESSION && expression.isPresent()) {
                problems.add(new DescriptorProblem(document.positionOf(pointer + "/expression"), "expression: is used with mask: expression only; this rule's mask is %s".formatted(kind.policyName())));
                return;
            }
            expression.ifPresent(sql -> checkSql(document, pointer + "/expression", sql, "column", "${column}", rules.sqlSyntax, problems));
            Mask parsed = expression.map(Mask::expression).orElseGet(() -> Mask.of(kind));
            rules.masks.add(new ColumnMaskRule(origin, scope(rule.path("scope")), columns(rule.path("columns")),
                    principals(document, pointer + "/applies_to", rules, problems), principals(document, pointer + "/except", rules, problems), parsed));
        });
        forEachRule(document, "row_filters", rules, problems, (rule, pointer, origin) -> {
            String filter = rule.get("filter").asText();
            checkSql(document, pointer + "/filter", filter, null, "${attribute.NAME}", rules.sqlSyntax, problems);
            rules.rowFilters.add(new RowFilterRule(origin, scope(rule.path("scope")),
                    principals(document, pointer + "/applies_to", rules, problems), principals(document, pointer + "/except", rules, problems), filter));
        });
        forEachRule(document, "impersonation", rules, problems, (rule, pointer, origin) -> {
            try {
                rules.impersonation.add(new ImpersonationRule(origin, principals(document, pointer + "/applies_to", rules, problems), Pattern.compile(rule.get("users").asText())));
            }
            catch (PatternSyntaxException e) {
                problems.add(new DescriptorProblem(document.positionOf(pointer + "/users"), "'users' is not a valid regular expression: " + e.getDescription()));
            }
        });
        if (root.path("catalog").asText().equals("public")) {
            rules.publicCatalog = true;
        }
        if (root.size() == 0) {
            problems.add(new DescriptorProblem(SourcePosition.startOf(file), "the policy file has no rules: give denials, column_masks, row_filters, impersonation or catalog"));
        }
    }

    private interface RuleReader
    {
        void read(JsonNode rule, String pointer, RuleOrigin origin);
    }

    private static void forEachRule(LocatedDocument document, String section, Rules rules, List<DescriptorProblem> problems, RuleReader reader)
    {
        JsonNode nodes = document.root().path(section);
        for (int i = 0; i < nodes.size(); i++) {
            String pointer = "/" + section + "/" + i;
            JsonNode rule = nodes.get(i);
            SourcePosition position = document.positionOf(pointer + "/name");
            String name = rule.get("name").asText();
            SourcePosition previous = rules.names.putIfAbsent(name, position);
            if (previous != null) {
                problems.add(new DescriptorProblem(position, "rule '%s' is already defined at %s:%s; rule names are quoted in denials and audit lines and must be unique".formatted(name, previous.file(), previous.line())));
            }
            reader.read(rule, pointer, new RuleOrigin(name, document.file().toString(), position.line()));
        }
    }

    private static void checkSql(LocatedDocument document, String pointer, String sql, String allowedName, String allowedSpelling, SqlSyntax sqlSyntax, List<DescriptorProblem> problems)
    {
        Matcher matcher = PLACEHOLDER.matcher(sql);
        boolean placeholdersKnown = true;
        while (matcher.find()) {
            String name = matcher.group(1);
            boolean allowed = allowedName == null ? ATTRIBUTE.matcher(name).matches() : name.equals(allowedName);
            if (!allowed) {
                problems.add(new DescriptorProblem(document.positionOf(pointer), "unknown placeholder ${%s}; only %s may be used here".formatted(name, allowedSpelling)));
                placeholdersKnown = false;
            }
        }
        if (!placeholdersKnown) {
            return;
        }
        // placeholders become a column name, or the user's values as string literals when the rule applies
        Optional<String> problem = sqlSyntax.expressionProblem(substitute(sql, "'value'"));
        if (problem.isPresent()) {
            problems.add(new DescriptorProblem(document.positionOf(pointer), "'%s' is not a valid SQL expression: %s".formatted(sql, problem.orElseThrow())));
            return;
        }
        if (sqlSyntax.expressionProblem(substitute(sql, "'value1', 'value2'")).isPresent()) {
            problems.add(new DescriptorProblem(document.positionOf(pointer),
                    "'%s' is valid only for users with one value of the attribute: ${attribute.NAME} stands for all of a user's values ('EMEA', 'APAC'), so use it in a list such as IN (${attribute.NAME})".formatted(sql)));
        }
    }

    private static String substitute(String sql, String attributeValues)
    {
        return PLACEHOLDER.matcher(sql).replaceAll(placeholder -> placeholder.group(1).equals("column") ? "\"column\"" : attributeValues);
    }

    private static ResourceScope scope(JsonNode node)
    {
        return new ResourceScope(names(node.path("domains")), names(node.path("products")), names(node.path("assets")));
    }

    private static ColumnSelector columns(JsonNode node)
    {
        // tags, like column names, are matched whatever their case: PII and pii are one classification
        return new ColumnSelector(lowerCase(names(node.path("tags"))), lowerCase(names(node.path("names"))));
    }

    private static Principals principals(LocatedDocument document, String pointer, Rules rules, List<DescriptorProblem> problems)
    {
        JsonNode node = document.root().at(pointer);
        JsonNode roles = node.path("roles");
        if (rules.knownRoles.isPresent()) {
            List<String> known = rules.knownRoles.orElseThrow().stream().sorted().toList();
            for (int i = 0; i < roles.size(); i++) {
                String role = roles.get(i).asText();
                if (!known.contains(role)) {
                    String hint = rules.rolesFileConfigured
                            ? DocumentSchema.closest(role, known).map(name -> "; did you mean '" + name + "'?").orElse("") + (known.isEmpty() ? "; the role mapping defines no role" : " (roles: " + String.join(", ", known) + ")")
                            : "; no role mapping is configured (mesh.security.roles-file), so nobody holds a role";
                    problems.add(new DescriptorProblem(document.positionOf(pointer + "/roles/" + i), "role '%s' is not defined in the role mapping%s".formatted(role, hint)));
                }
            }
        }
        return new Principals(names(node.path("users")), names(node.path("groups")), names(roles), node.path("owner").asBoolean(false));
    }

    private static Set<String> names(JsonNode node)
    {
        ImmutableSet.Builder<String> names = ImmutableSet.builder();
        node.forEach(name -> names.add(name.asText()));
        return names.build();
    }

    private static Set<String> lowerCase(Set<String> names)
    {
        return names.stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(toImmutableSet());
    }

    private static Map<String, List<String>> attributes(JsonNode node)
    {
        ImmutableMap.Builder<String, List<String>> attributes = ImmutableMap.builder();
        node.properties().forEach(attribute -> {
            JsonNode value = attribute.getValue();
            attributes.put(attribute.getKey(), value.isArray() ? ImmutableList.copyOf(names(value)) : ImmutableList.of(value.asText()));
        });
        return attributes.buildOrThrow();
    }

    private static final class Rules
    {
        private final Optional<Set<String>> knownRoles;
        private final boolean rolesFileConfigured;
        private final Map<String, SourcePosition> names = new HashMap<>();
        private final ImmutableList.Builder<DenyRule> denials = ImmutableList.builder();
        private final ImmutableList.Builder<ColumnMaskRule> masks = ImmutableList.builder();
        private final ImmutableList.Builder<RowFilterRule> rowFilters = ImmutableList.builder();
        private final ImmutableList.Builder<ImpersonationRule> impersonation = ImmutableList.builder();
        private final SqlSyntax sqlSyntax;
        private boolean publicCatalog;

        private Rules(Optional<Set<String>> knownRoles, boolean rolesFileConfigured, SqlSyntax sqlSyntax)
        {
            this.knownRoles = knownRoles;
            this.rolesFileConfigured = rolesFileConfigured;
            this.sqlSyntax = requireNonNull(sqlSyntax, "sqlSyntax is null");
        }
    }
}
