package dev.datamesh.registry;

import com.google.common.collect.ImmutableList;
import io.trino.filesystem.FileEntry;
import io.trino.filesystem.FileIterator;
import io.trino.filesystem.Location;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.filesystem.TrinoInputFile;

import java.io.IOException;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Finds the files of a Parquet asset: the location itself when it is a file, else every
 * file below it, where each folder level must be a Hive-style {@code key=value} partition.
 * Files and folders whose names start with '_' or '.' (_SUCCESS, .crc, _temporary) are not data.
 */
public final class ParquetAssetFiles
{
    public static final String HIVE_NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    private ParquetAssetFiles() {}

    public static ParquetFileListing list(TrinoFileSystem fileSystem, Location root)
            throws IOException
    {
        if (!fileSystem.directoryExists(root).orElse(true)) {
            TrinoInputFile file = fileSystem.newInputFile(root);
            return new ParquetFileListing(ImmutableList.of(new ParquetDataFile(root, file.length(), file.lastModified(), Map.of())), ImmutableList.of());
        }

        String rootPath = trimSlashes(root.path());
        List<ParquetDataFile> files = new ArrayList<>();
        List<String> partitionKeys = null;
        String firstFile = null;
        FileIterator iterator = fileSystem.listFiles(root);
        while (iterator.hasNext()) {
            FileEntry entry = iterator.next();
            String path = trimSlashes(entry.location().path());
            if (!path.startsWith(rootPath)) {
                throw new IOException("listing of %s returned %s, which is outside of it".formatted(root, entry.location()));
            }
            String relative = trimSlashes(path.substring(rootPath.length()));
            String[] segments = relative.split("/");
            if (isHidden(segments)) {
                continue;
            }
            Map<String, Optional<String>> partitionValues = new LinkedHashMap<>();
            for (int i = 0; i < segments.length - 1; i++) {
                String segment = segments[i];
                int equals = segment.indexOf('=');
                if (equals <= 0) {
                    throw new IOException("file %s is in folder '%s', which is not a key=value partition folder; a Parquet asset folder holds data files or partition folders only".formatted(entry.location(), segment));
                }
                String value = unescape(segment.substring(equals + 1));
                partitionValues.put(unescape(segment.substring(0, equals)).toLowerCase(Locale.ROOT), value.equals(HIVE_NULL_PARTITION) ? Optional.empty() : Optional.of(value));
            }
            List<String> keys = ImmutableList.copyOf(partitionValues.keySet());
            if (partitionKeys == null) {
                partitionKeys = keys;
                firstFile = relative;
            }
            else if (!partitionKeys.equals(keys)) {
                throw new IOException("inconsistent partition folders: %s is partitioned by %s but %s by %s".formatted(firstFile, partitionKeys, relative, keys));
            }
            // keep the scheme the descriptor used (file://), whatever the file system lists (local://)
            files.add(new ParquetDataFile(root.appendPath(relative), entry.length(), entry.lastModified(), partitionValues));
        }
        files.sort((left, right) -> left.location().toString().compareTo(right.location().toString()));
        return new ParquetFileListing(files, partitionKeys == null ? ImmutableList.of() : partitionKeys);
    }

    private static boolean isHidden(String[] segments)
    {
        for (String segment : segments) {
            if (segment.startsWith("_") || segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String unescape(String value)
    {
        if (value.indexOf('%') < 0) {
            return value;
        }
        try {
            return URLDecoder.decode(value.replace("+", "%2B"), UTF_8);
        }
        catch (IllegalArgumentException e) {
            // a '%' that starts no escape (discount=100%) is kept, as Hive keeps it
            return value;
        }
    }

    private static String trimSlashes(String path)
    {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }
}
