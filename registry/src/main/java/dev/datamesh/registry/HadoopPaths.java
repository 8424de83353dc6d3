package dev.datamesh.registry;

import io.trino.filesystem.Location;

/**
 * Delta Kernel and Iceberg speak Hadoop-style path strings ("file:/data/t/part-0.parquet",
 * "/data/t", s3a://...); the mesh speaks TrinoFileSystem locations ("file:///data/t/part-0.parquet").
 */
public final class HadoopPaths
{
    private HadoopPaths() {}

    public static Location toLocation(String hadoopPath)
    {
        if (hadoopPath.startsWith("file:")) {
            return Location.of("file:///" + stripLeadingSlashes(hadoopPath.substring("file:".length())));
        }
        if (hadoopPath.startsWith("/")) {
            return Location.of("file:///" + stripLeadingSlashes(hadoopPath));
        }
        if (hadoopPath.startsWith("s3a://") || hadoopPath.startsWith("s3n://")) {
            return Location.of("s3://" + hadoopPath.substring("s3a://".length()));
        }
        return Location.of(hadoopPath);
    }

    public static String toHadoopPath(Location location)
    {
        String scheme = location.scheme().orElse("file");
        if (scheme.equals("file") || scheme.equals("local")) {
            return "file:/" + stripLeadingSlashes(location.path());
        }
        return location.toString();
    }

    public static String trimTrailingSlash(String path)
    {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String stripLeadingSlashes(String path)
    {
        int start = 0;
        while (start < path.length() && path.charAt(start) == '/') {
            start++;
        }
        return path.substring(start);
    }
}
