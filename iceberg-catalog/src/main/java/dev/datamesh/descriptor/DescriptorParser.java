package dev.datamesh.descriptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import dev.datamesh.policies.AccessGrant;
import dev.datamesh.policies.Permission;

import java.nio.file.Path;
import java.util.ArrayList;
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
    private DescriptorParser() {}

    public static ParsedDescriptor parseDataProduct(Path file)
            throws DescriptorException
    {
        LocatedDocument document = LocatedDocumentReader.read(file);
        List<DescriptorProblem> problems = new ArrayList<>(DocumentSchema.DATA_PRODUCT.validate(document));
        if (!problems.isEmpty()) {
            throw new DescriptorException(problems);
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
            assets.add(new DataAssetDescriptor(
                    name,
                    AssetFormat.fromDescriptorName(asset.get("format").asText()).orElseThrow(),
                    asset.get("location").asText(),
                    optionalText(asset, "schema"),
                    optionalText(asset, "description"),
                    optionalText(asset, "update_frequency")));
        }

        ImmutableList.Builder<AccessGrant> grants = ImmutableList.builder();
        JsonNode grantNodes = root.path("access_control");
        for (JsonNode grant : grantNodes) {
            grants.add(new AccessGrant(grant.get("role").asText(), Permission.fromDescriptorName(grant.get("permissions").asText()).orElseThrow()));
        }

        if (!problems.isEmpty()) {
            throw new DescriptorException(problems);
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
                grants.build());
        return new ParsedDescriptor(descriptor, document);
    }

    public static AssetSchema parseAssetSchema(Path file)
            throws DescriptorException
    {
        LocatedDocument document = LocatedDocumentReader.read(file);
        List<DescriptorProblem> problems = new ArrayList<>(DocumentSchema.ASSET_SCHEMA.validate(document));
        if (!problems.isEmpty()) {
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
            column.path("tags").forEach(tag -> tags.add(tag.asText()));
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

    private static Optional<String> optionalText(JsonNode node, String field)
    {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }
}
