package dev.datamesh.cli;

import dev.datamesh.descriptor.AssetFormat;
import dev.datamesh.descriptor.DataAssetDescriptor;
import dev.datamesh.descriptor.DataProductDescriptor;
import dev.datamesh.descriptor.ServiceLevel;
import dev.datamesh.registry.AssetLocations;
import dev.datamesh.registry.MeshNames;
import dev.datamesh.registry.RegisteredAsset;
import io.trino.filesystem.Location;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.stream.Collectors.joining;

/**
 * Scaffolds a descriptor and its column contract from data that exists: the columns and types
 * the mesh will read, left for the owner to describe and classify.
 */
@Command(name = "init", mixinStandardHelpOptions = true, description = "Write a descriptor and a schema file for an existing Parquet folder, Delta table or Iceberg table.")
final class InitCommand
        implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--format", required = true, description = "parquet, delta or iceberg")
    private String format;

    @Option(names = "--location", required = true, description = "The data: a local path (relative to the current folder) or a file:// URI")
    private String location;

    @Option(names = "--name", required = true, description = "Name of the data product, e.g. invoice-data-product")
    private String name;

    @Option(names = "--domain", required = true, description = "Business domain that owns it")
    private String domain;

    @Option(names = "--owner", required = true, description = "Team accountable for it")
    private String owner;

    @Option(names = "--asset", description = "Name of the table (default: the location's last folder)")
    private String asset;

    @Option(names = "--out", description = "Folder to write into (default: the current folder)")
    private Path out = Path.of("");

    @Override
    public Integer call()
            throws IOException
    {
        PrintWriter output = spec.commandLine().getOut();
        PrintWriter errors = spec.commandLine().getErr();
        Optional<AssetFormat> assetFormat = AssetFormat.fromDescriptorName(format.toLowerCase(Locale.ROOT));
        if (assetFormat.isEmpty()) {
            errors.println("Unknown format '%s': use parquet, delta or iceberg".formatted(format));
            return 2;
        }
        Path outDirectory = out.toAbsolutePath().normalize();
        Location dataLocation = AssetLocations.resolve(location, Path.of("").toAbsolutePath());
        String assetName = Optional.ofNullable(asset).orElseGet(() -> MeshNames.tableName(dataLocation.fileName().isEmpty() ? Path.of(dataLocation.path()).getFileName().toString() : dataLocation.fileName()));
        Path descriptorFile = outDirectory.resolve(name + ".yaml");
        Path schemaFile = outDirectory.resolve(assetName + "_schema.json");
        for (Path file : List.of(descriptorFile, schemaFile)) {
            if (Files.exists(file)) {
                errors.println("%s exists already; remove it or choose another --out".formatted(file));
                return 1;
            }
        }

        String descriptorLocation = relativeLocation(outDirectory, dataLocation);
        DataAssetDescriptor assetDescriptor = new DataAssetDescriptor(assetName, assetFormat.orElseThrow(), Optional.of(descriptorLocation), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        DataProductDescriptor product = new DataProductDescriptor(descriptorFile, name, domain, owner, "1.0.0", Optional.empty(), ServiceLevel.NONE, List.of(assetDescriptor), Optional.empty(), List.of(), Optional.empty());
        RegisteredAsset registered = new RegisteredAsset(MeshNames.schemaName(domain), assetName, product, assetDescriptor, Optional.of(dataLocation), Optional.empty(), Optional.empty());
        List<SchemaInference.InferredColumn> columns;
        try (SchemaInference inference = new SchemaInference(MeshCli.localFileSystem())) {
            columns = inference.columns(registered);
        }
        catch (IOException | RuntimeException e) {
            errors.println("Cannot read the %s data at %s: %s".formatted(assetFormat.orElseThrow().descriptorName(), dataLocation, e.getMessage()));
            return 1;
        }

        Files.createDirectories(outDirectory);
        Files.writeString(schemaFile, columns.stream()
                .map(column -> "    {\"name\": %s, \"type\": %s%s, \"description\": %s, \"tags\": []}".formatted(
                        json(column.name()),
                        json(column.type()),
                        column.nullable() ? "" : ", \"nullable\": false",
                        json(column.description().orElse("TODO: what this column means"))))
                .collect(joining(",\n", "{\n  \"columns\": [\n", "\n  ]\n}\n")));
        Files.writeString(descriptorFile, """
                name: %s
                domain: %s
                owner: %s
                version: 1.0.0
                description: "TODO: what the product contains and what it is for"
                sla:
                  availability: 99%%
                  freshness: 1 day
                  support: business hours
                data_assets:
                  - name: %s
                    format: %s
                    location: %s
                    schema: %s
                    description: "TODO: what one row is"
                    update_frequency: daily
                # access_control:
                #   - role: analyst
                #     permissions: read
                """.formatted(name, domain, owner, assetName, assetFormat.orElseThrow().descriptorName(), descriptorLocation, schemaFile.getFileName()));
        output.println("Wrote " + descriptorFile);
        output.println("Wrote " + schemaFile + " (" + columns.size() + " columns: describe them and tag classified ones, such as pii)");
        return 0;
    }

    private static String relativeLocation(Path descriptorDirectory, Location location)
    {
        if (location.scheme().map(scheme -> scheme.equals("file")).orElse(true)) {
            return descriptorDirectory.relativize(Path.of(location.path().startsWith("/") ? location.path() : "/" + location.path())).toString();
        }
        return location.toString();
    }

    private static String json(String value)
    {
        StringBuilder quoted = new StringBuilder("\"");
        for (char character : value.toCharArray()) {
            switch (character) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                default -> {
                    if (character < 0x20) {
                        quoted.append("\\u%04x".formatted((int) character));
                    }
                    else {
                        quoted.append(character);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
