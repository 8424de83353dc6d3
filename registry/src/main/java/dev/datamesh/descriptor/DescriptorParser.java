package dev.datamesh.descriptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import dev.datamesh.policies.AccessGrant;
import dev.datamesh.policies.Permission;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads descriptor and asset schema files: YAML syntax, then the shipped JSON Schema, then the
 * rules a schema cannot express (names unique within the file). Either every check passes or
 * the file is rejected with all of its problems.
 */
public final class DescriptorParser
{
    // where the platform declares Iceberg catalogs; the trino-plugin module binds properties under it
    public static final String PLATFORM_CATALOG_PREFIX = "mesh.iceberg-catalog.";
    private static final String ENVIRONMENT_REFERENCE = "${ENV:";

    private DescriptorParser() {}

    public static ParsedDescriptor parseDataProduct(Path file)
            throws DescriptorException
    {
        LocatedDocument document = LocatedDocumentReader.read(file);
        DescriptorIdentity identity = DescriptorIdentity.of(document);
        List<DescriptorProblem> problems = new ArrayList<>(DocumentSchema.DATA_PRODUCT.validate(document));
        boolean schemaValid = problems.isEmpty();
        problems.addAll(environmentReferences(document));
        // what follows reads the tree as the schema describes it
        if (!schemaValid) {
            throw new DescriptorException(problems, identity);
        }
        JsonNode root = document.root();

        ImmutableList.Builder<DataAssetDescriptor> assets = ImmutableList.builder();
        Map<String, Integer> assetIndexByName = new HashMap<>();
        JsonNode assetNodes = root.get("data_assets");
        for (int i = 0; i < assetNodes.size(); i++) {
            JsonNode asset = assetNodes.get(i);
            String name = asset.get("name").asText();
            Integer previous = assetIndexByName.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
            if (previous != null) {
                problems.add(new DescriptorProblem(
                        document.positionOf("/data_assets/" + i + "/name"),
                        "data asset '%s' is declared twice in this product (first at line %s); asset names become table names and must be unique"
                                .formatted(name, document.positionOf("/data_assets/" + previous + "/name").line())));
            }
            AssetFormat format = AssetFormat.fromDescriptorName(asset.get("format").asText()).orElseThrow();
            String pointer = "/data_assets/" + i;
            Optional<String> location = optionalText(asset, "location");
            Optional<String> table = optionalText(asset, "table");
            Optional<IcebergCatalogReference> catalog = catalog(document, pointer + "/catalog", problems);
            Optional<DataAssetDescriptor.AssetReference> sharedFrom = Optional.ofNullable(asset.get("shared_from"))
                    .map(reference -> new DataAssetDescriptor.AssetReference(reference.get("product").asText(), reference.get("asset").asText()));
            if (sharedFrom.isPresent()) {
                for (String own : List.of("location", "table", "catalog", "schema", "storage", "shared_with")) {
                    if (asset.has(own)) {
                        problems.add(new DescriptorProblem(document.positionOfKey(pointer + "/" + own),
                                "data asset '%s' is shared from data product '%s': it is read as its owner publishes it, so it has no %s: of its own".formatted(name, sharedFrom.orElseThrow().product(), own)));
                    }
                }
            }
            else if (location.isEmpty() && table.isEmpty()) {
                problems.add(new DescriptorProblem(document.positionOf(pointer),
                        "data asset '%s' has no location: give the file or folder of its data%s".formatted(name, format == AssetFormat.ICEBERG ? ", or table: namespace.table for a table in an Iceberg catalog" : "")));
            }
            if (location.isPresent() && table.isPresent()) {
                problems.add(new DescriptorProblem(document.positionOf(pointer + "/table"), "data asset '%s' has both location: and table:; give the location of the table or its name in a catalog, not both".formatted(name)));
            }
            if (table.isPresent() && format != AssetFormat.ICEBERG) {
                problems.add(new DescriptorProblem(document.positionOf(pointer + "/table"), "table: names a table in an Iceberg catalog, but data asset '%s' has format %s; use location: instead".formatted(name, format.descriptorName())));
            }
            if (catalog.isPresent() && table.isEmpty()) {
                problems.add(new DescriptorProblem(document.positionOfKey(pointer + "/catalog"), "catalog: is used with table: only; data asset '%s' is found by its location".formatted(name)));
            }
            if (table.isPresent() && catalog.isEmpty() && !root.has("iceberg_catalog")) {
                problems.add(new DescriptorProblem(document.positionOf(pointer + "/table"),
                        "data asset '%s' names table '%s' but no catalog holds it: add catalog: to the asset or iceberg_catalog: to the product".formatted(name, table.orElseThrow())));
            }
            assets.add(new DataAssetDescriptor(
                    name,
                    format,
                    location,
                    table,
                    catalog,
                    optionalText(asset, "schema"),
                    optionalText(asset, "description"),
                    optionalText(asset, "update_frequency"),
                    optionalText(asset, "storage"),
                    sharedFrom,
                    texts(asset.path("shared_with"))));
        }

        Optional<IcebergCatalogReference> icebergCatalog = catalog(document, "/iceberg_catalog", problems);

        // an SLA the mesh cannot measure would show its status as unknown forever
        optionalText(root.path("sla"), "freshness")
                .filter(freshness -> Freshness.parse(freshness).isEmpty())
                .ifPresent(freshness -> problems.add(new DescriptorProblem(document.positionOf("/sla/freshness"),
                        "'sla.freshness' value '%s' is not a duration the mesh can measure; write e.g. %s".formatted(freshness, Freshness.EXAMPLES))));

        ImmutableList.Builder<AccessGrant> grants = ImmutableList.builder();
        JsonNode grantNodes = root.path("access_control");
        for (JsonNode grant : grantNodes) {
            grants.add(new AccessGrant(grant.get("role").asText(), Permission.fromDescriptorName(grant.get("permissions").asText()).orElseThrow()));
        }

        if (!problems.isEmpty()) {
            throw new DescriptorException(problems, identity);
        }

        JsonNode sla = root.path("sla");
        DataProductDescriptor descriptor = new DataProductDescriptor(
                file,
                root.get("name").asText(),
                root.get("domain").asText(),
                root.get("owner").asText(),
                root.get("version").asText(),
                optionalText(root, "description"),
                new ServiceLevel(optionalText(sla, "availability"), optionalText(sla, "freshness"), optionalText(sla, "support")),
                assets.build(),
                icebergCatalog,
                grants.build(),
                optionalText(root, "storage"));
        return new ParsedDescriptor(descriptor, document);
    }

    public static AssetSchema parseAssetSchema(Path file)
            throws DescriptorException
    {
        LocatedDocument document = LocatedDocumentReader.read(file);
        List<DescriptorProblem> problems = new ArrayList<>(DocumentSchema.ASSET_SCHEMA.validate(document));
        boolean schemaValid = problems.isEmpty();
        problems.addAll(environmentReferences(document));
        if (!schemaValid) {
            throw new DescriptorException(problems);
        }
        ImmutableList.Builder<DeclaredColumn> columns = ImmutableList.builder();
        Map<String, Integer> lineByName = new HashMap<>();
        JsonNode columnNodes = document.root().get("columns");
        for (int i = 0; i < columnNodes.size(); i++) {
            JsonNode column = columnNodes.get(i);
            String name = column.get("name").asText();
            SourcePosition position = document.positionOf("/columns/" + i);
            Integer previousLine = lineByName.putIfAbsent(name.toLowerCase(Locale.ROOT), position.line());
            if (previousLine != null) {
                problems.add(new DescriptorProblem(position, "column '%s' is declared twice (first at line %s)".formatted(name, previousLine)));
            }
            ImmutableList.Builder<String> tags = ImmutableList.builder();
            // policies select tags whatever their case: PII and pii are one classification
            column.path("tags").forEach(tag -> tags.add(tag.asText().toLowerCase(Locale.ROOT)));
            columns.add(new DeclaredColumn(
                    name,
                    column.get("type").asText(),
                    optionalText(column, "description"),
                    column.path("nullable").asBoolean(true),
                    tags.build(),
                    position));
        }
        if (!problems.isEmpty()) {
            throw new DescriptorException(problems);
        }
        return new AssetSchema(file, optionalText(document.root(), "description"), columns.build());
    }

    /**
     * The catalog a descriptor gives: the name of one the platform declares, or a SQLite file
     * catalog of its own. Anything that would make the server connect elsewhere or send a secret
     * (a REST catalog, another database, credentials, catalog properties) is the platform's to declare.
     */
    private static Optional<IcebergCatalogReference> catalog(LocatedDocument document, String pointer, List<DescriptorProblem> problems)
    {
        JsonNode node = document.root().at(pointer);
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return Optional.of(new IcebergCatalogReference.Platform(node.asText(), document.positionOf(pointer)));
        }
        String field = fieldName(pointer);
        String askThePlatform = "ask the platform to declare the catalog in the mesh catalog's properties (%s<name>.*) and write %s: <name>"
                .formatted(PLATFORM_CATALOG_PREFIX, pointer.substring(pointer.lastIndexOf('/') + 1));
        if (node.get("type").asText().equalsIgnoreCase(IcebergCatalogDescriptor.Type.REST.descriptorName())) {
            problems.add(new DescriptorProblem(document.positionOf(pointer + "/type"),
                    "'%s.type' is rest: a descriptor cannot declare a catalog service, whose address and credentials belong to the platform; %s".formatted(field, askThePlatform)));
        }
        else {
            optionalText(node, "uri").ifPresent(uri -> {
                if (!uri.startsWith(IcebergCatalogDescriptor.SQLITE_PREFIX)) {
                    problems.add(new DescriptorProblem(document.positionOf(pointer + "/uri"),
                            "'%s.uri' is not a SQLite file: a descriptor may keep its own catalog only in a SQLite file (jdbc:sqlite:<path>, relative to this descriptor or absolute); for a catalog in another database, %s".formatted(field, askThePlatform)));
                }
                else if (!isPlainSqlitePath(uri.substring(IcebergCatalogDescriptor.SQLITE_PREFIX.length()))) {
                    // options would reach the driver (e.g. loading extensions), :memory: and :resource: are not files
                    problems.add(new DescriptorProblem(document.positionOf(pointer + "/uri"),
                            "'%s.uri' must be jdbc:sqlite: followed by the path of the database file, relative to this descriptor or absolute, without options ('?'), ':memory:', ':resource:' or 'file:' URIs".formatted(field)));
                }
            });
        }
        for (String secret : List.of("credential", "token", "properties")) {
            if (node.has(secret)) {
                problems.add(new DescriptorProblem(document.positionOfKey(pointer + "/" + secret),
                        "'%s.%s' is not allowed in a descriptor: credentials and catalog properties belong to the platform; %s".formatted(field, secret, askThePlatform)));
            }
        }
        // where new tables would go, resolved as locations are: reading never goes there
        Optional<String> warehouse = optionalText(node, "warehouse");
        return Optional.of(new IcebergCatalogReference.SqliteFile(
                optionalText(node, "name").orElse(IcebergCatalogDescriptor.DEFAULT_NAME),
                optionalText(node, "uri").map(uri -> uri.substring(Math.min(uri.length(), IcebergCatalogDescriptor.SQLITE_PREFIX.length()))),
                document.positionOf(pointer + "/uri"),
                warehouse,
                warehouse.map(_ -> document.positionOf(pointer + "/warehouse")),
                document.positionOf(pointer)));
    }

    private static List<String> texts(JsonNode array)
    {
        ImmutableList.Builder<String> texts = ImmutableList.builder();
        array.forEach(value -> texts.add(value.asText()));
        return texts.build();
    }

    private static boolean isPlainSqlitePath(String path)
    {
        return !path.isBlank() && !path.startsWith(":") && !path.startsWith("file:") && path.indexOf('?') < 0;
    }

    /**
     * Every scalar (value or key) that names an environment variable the way Trino's configuration
     * files do: descriptors are written by domain teams, and nothing of theirs is substituted, so
     * such a value is either a mistake or an attempt to read the server's secrets.
     */
    private static List<DescriptorProblem> environmentReferences(LocatedDocument document)
    {
        List<DescriptorProblem> problems = new ArrayList<>();
        document.scalarTexts().forEach((pointer, text) -> {
            if (text.contains(ENVIRONMENT_REFERENCE)) {
                problems.add(new DescriptorProblem(document.positionOf(pointer), environmentMessage(pointer)));
            }
        });
        document.keyPositions().forEach((pointer, position) -> {
            if (pointer.substring(pointer.lastIndexOf('/') + 1).contains(ENVIRONMENT_REFERENCE)) {
                problems.add(new DescriptorProblem(position, environmentMessage(pointer)));
            }
        });
        problems.sort(Comparator.comparingInt((DescriptorProblem problem) -> problem.position().line()).thenComparingInt(problem -> problem.position().column()));
        return problems;
    }

    private static String environmentMessage(String pointer)
    {
        return ("'%s' contains %s...}: descriptors cannot read the server's environment; write the value itself, and leave secrets to the platform, " +
                "which declares storage profiles and Iceberg catalogs with their credentials in the mesh catalog's properties").formatted(fieldName(pointer), ENVIRONMENT_REFERENCE);
    }

    /**
     * A readable name of the value at a JSON pointer: /data_assets/0/catalog becomes data_assets[0].catalog.
     */
    private static String fieldName(String pointer)
    {
        if (pointer.isEmpty()) {
            return "";
        }
        StringBuilder name = new StringBuilder();
        for (String token : pointer.substring(1).split("/", -1)) {
            if (!token.isEmpty() && token.chars().allMatch(Character::isDigit)) {
                name.append('[').append(token).append(']');
            }
            else {
                if (!name.isEmpty()) {
                    name.append('.');
                }
                name.append(token.replace("~1", "/").replace("~0", "~"));
            }
        }
        return name.toString();
    }

    private static Optional<String> optionalText(JsonNode node, String field)
    {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }
}
