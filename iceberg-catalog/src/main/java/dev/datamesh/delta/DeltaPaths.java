package dev.datamesh.delta;

import io.trino.filesystem.Location;

/**
 * Delta Kernel speaks Hadoop-style path strings ("file:/data/t/part-0.parquet", unescaped);
 * the mesh speaks TrinoFileSystem locations ("file:///data/t/part-0.parquet").
 */
public final class DeltaPaths
{
    private DeltaPaths() {}

    public static Location toLocation(String kernelPath)
    {
        if (kernelPath.startsWith("file:")) {
            return Location.of("file:///" + stripLeadingSlashes(kernelPath.substring("file:".length())));
        }
        if (kernelPath.startsWith("/")) {
            return Location.of("file:///" + stripLeadingSlashes(kernelPath));
        }
        if (kernelPath.startsWith("s3a://") || kernelPath.startsWith("s3n://")) {
            return Location.of("s3://" + kernelPath.substring("s3a://".length()));
        }
        return Location.of(kernelPath);
    }

    public static String toKernelPath(Location location)
    {
        String scheme = location.scheme().orElse("file");
        if (scheme.equals("file") || scheme.equals("local")) {
            return "file:/" + stripLeadingSlashes(location.path());
        }
        return location.toString();
    }

    static String trimTrailingSlash(String path)
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
