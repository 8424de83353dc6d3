package dev.datamesh.sample;

import com.google.common.collect.ImmutableMap;
import io.opentelemetry.api.OpenTelemetry;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.s3.S3FileSystemConfig;
import io.trino.filesystem.s3.S3FileSystemFactory;
import io.trino.filesystem.s3.S3FileSystemStats;
import io.trino.spi.security.ConnectorIdentity;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The sample mesh with its data in S3, at the locations of the mission's example
 * ({@code s3://<bucket>/customer/profile} and so on): Parquet files and the Delta table are
 * uploaded as written, the Iceberg table is written into S3 by Iceberg's own writers (its metadata
 * names its files by their S3 locations), and the descriptors are the sample's with S3 locations.
 */
public final class S3SampleMesh
{
    // the sample's local data folder, relative to a descriptor, and where each goes in the bucket
    private static final Map<String, String> LOCATIONS = ImmutableMap.of(
            "../../data/customer-service/customer_profile", "customer/profile",
            "../../data/customer-service/customer_orders", "customer/orders",
            "../../data/sales/orders", "sales/orders",
            "../../data/logistics/warehouse", "logistics/warehouse");

    private S3SampleMesh() {}

    /**
     * @param sampleProducts the sample's descriptor folder (etc/mesh/products)
     * @param meshDirectory where the S3 descriptors (products/), the Iceberg catalog's database (data/) and the domains file (domains.yaml) go
     * @return the descriptor folder to serve
     */
    public static Path write(Path sampleProducts, Path meshDirectory, S3FileSystemConfig s3, String bucket)
            throws IOException
    {
        createBucket(s3, bucket);
        TrinoFileSystem fileSystem = new S3FileSystemFactory(OpenTelemetry.noop(), s3, new S3FileSystemStats()).create(ConnectorIdentity.ofUser("sample"));

        Path localData = Files.createTempDirectory("sample-mesh-data");
        SampleMesh.writeData(localData);
        upload(fileSystem, localData.resolve("customer-service/customer_profile"), Location.of("s3://%s/customer/profile".formatted(bucket)));
        upload(fileSystem, localData.resolve("customer-service/customer_orders"), Location.of("s3://%s/customer/orders".formatted(bucket)));
        upload(fileSystem, localData.resolve("sales/orders"), Location.of("s3://%s/sales/orders".formatted(bucket)));
        SampleMesh.writeShipments(new IcebergSampleWriter(
                meshDirectory.resolve("data/logistics/iceberg_catalog.db"),
                "s3://%s/logistics/warehouse".formatted(bucket),
                fileSystem));

        Path products = meshDirectory.resolve("products");
        copyDescriptors(sampleProducts, products, bucket);
        // each domain owns its prefix of the bucket; logistics also its catalog's database
        Files.writeString(meshDirectory.resolve("domains.yaml"), """
                domains:
                  customer-service:
                    descriptors: [products/customer-service]
                    locations: [s3://%1$s/customer]
                  sales:
                    descriptors: [products/sales]
                    locations: [s3://%1$s/sales]
                  logistics:
                    descriptors: [products/logistics]
                    locations: [s3://%1$s/logistics, data/logistics]
                """.formatted(bucket));
        return products;
    }

    public static void createBucket(S3FileSystemConfig s3, String bucket)
    {
        checkArgument(s3.getEndpoint() != null && s3.getAwsAccessKey() != null, "the sample's bucket is made on an S3 endpoint with static keys");
        try (S3Client client = S3Client.builder()
                .endpointOverride(URI.create(s3.getEndpoint()))
                .region(Region.of(requireNonNull(s3.getRegion(), "region is null")))
                .forcePathStyle(s3.isPathStyleAccess())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.getAwsAccessKey(), s3.getAwsSecretKey())))
                .build()) {
            client.createBucket(request -> request.bucket(bucket));
        }
        catch (BucketAlreadyOwnedByYouException _) {
            // written again over the previous run's objects
        }
    }

    public static void upload(TrinoFileSystem fileSystem, Path folder, Location target)
            throws IOException
    {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                Location location = target.appendPath(folder.relativize(file).toString());
                fileSystem.newOutputFile(location).createOrOverwrite(Files.readAllBytes(file));
            }
        }
    }

    private static void copyDescriptors(Path sampleProducts, Path products, String bucket)
            throws IOException
    {
        try (Stream<Path> files = Files.walk(sampleProducts)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = products.resolve(sampleProducts.relativize(file).toString());
                Files.createDirectories(target.getParent());
                String content = Files.readString(file);
                for (Map.Entry<String, String> location : LOCATIONS.entrySet()) {
                    content = content.replace(location.getKey(), "s3://%s/%s".formatted(bucket, location.getValue()));
                }
                Files.writeString(target, content);
            }
        }
    }

    /**
     * Writes the sample mesh into the bucket of an S3 endpoint, with the keys of the environment
     * variables MESH_S3_ACCESS_KEY and MESH_S3_SECRET_KEY.
     */
    public static void main(String[] args)
            throws IOException
    {
        if (args.length != 4) {
            System.err.println("usage: S3SampleMesh <sample products folder> <mesh folder> <S3 endpoint> <bucket>");
            System.exit(2);
        }
        S3FileSystemConfig s3 = new S3FileSystemConfig()
                .setEndpoint(args[2])
                .setRegion("us-east-1")
                .setPathStyleAccess(true)
                .setAwsAccessKey(requireNonNull(System.getenv("MESH_S3_ACCESS_KEY"), "MESH_S3_ACCESS_KEY is not set"))
                .setAwsSecretKey(requireNonNull(System.getenv("MESH_S3_SECRET_KEY"), "MESH_S3_SECRET_KEY is not set"));
        Path products = write(Path.of(args[0]).toAbsolutePath(), Path.of(args[1]).toAbsolutePath(), s3, args[3]);
        System.out.printf("Sample mesh written to s3://%s at %s; descriptors in %s%n", args[3], args[2], products);
        for (String location : List.copyOf(LOCATIONS.values())) {
            System.out.printf("  s3://%s/%s%n", args[3], location);
        }
    }
}
