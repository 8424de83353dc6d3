package dev.datamesh.registry;

import io.trino.filesystem.Location;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns the location a descriptor gives into a file system location: local paths (relative to
 * the descriptor's folder) become file:// locations; s3a:// and s3n:// are aliases of s3://.
 */
public final class AssetLocations
{
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://.*");

    private AssetLocations() {}

    public static Location resolve(String location, Path descriptorDirectory)
    {
        var matcher = SCHEME.matcher(location);
        if (matcher.matches()) {
            String scheme = matcher.group(1).toLowerCase(Locale.ROOT);
            return switch (scheme) {
                case "file" -> localLocation(fileUriPath(location));
                case "s3", "s3a", "s3n" -> Location.of("s3" + location.substring(scheme.length()));
                default -> throw new IllegalArgumentException("location '%s' has unsupported scheme '%s'; use a local path, file:// or s3://".formatted(location, scheme));
            };
        }
        try {
            return localLocation(descriptorDirectory.resolve(location));
        }
        catch (InvalidPathException e) {
            throw new IllegalArgumentException("location '%s' is not a valid path: %s".formatted(location, e.getReason()));
        }
    }

    private static Path fileUriPath(String location)
    {
        try {
            return Path.of(URI.create(location));
        }
        catch (IllegalArgumentException e) {
            // e.g. file://data/profile, where "data" is taken for a host
            throw new IllegalArgumentException("location '%s' is not a valid file URI (%s); write file:///absolute/path, or a path relative to the descriptor".formatted(location, e.getMessage()));
        }
    }

    private static Location localLocation(Path path)
    {
        String absolute = path.toAbsolutePath().normalize().toString();
        if (absolute.endsWith("/") && absolute.length() > 1) {
            absolute = absolute.substring(0, absolute.length() - 1);
        }
        return Location.of("file://" + absolute);
    }
}
