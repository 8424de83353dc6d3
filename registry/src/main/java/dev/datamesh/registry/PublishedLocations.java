package dev.datamesh.registry;

import io.trino.filesystem.Location;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The locations the registry's assets publish, to find an asset over data another already
 * publishes: the same folder, a folder inside it, or one around it. Locations are compared by
 * whole path segments, as {@link DomainLocations} compares them.
 */
final class PublishedLocations
{
    // each location with a trailing slash, so that a prefix of the key is an enclosing folder
    private final TreeMap<String, RegisteredAsset> assets = new TreeMap<>();

    void add(Location canonical, RegisteredAsset asset)
    {
        assets.putIfAbsent(key(canonical), asset);
    }

    /**
     * An asset published at the location, around it or inside it.
     */
    Optional<RegisteredAsset> overlapping(Location canonical)
    {
        String key = key(canonical);
        // inside it, or the same: keys that start with it sort right after it
        Map.Entry<String, RegisteredAsset> following = assets.ceilingEntry(key);
        if (following != null && following.getKey().startsWith(key)) {
            return Optional.of(following.getValue());
        }
        // around it: one of its enclosing folders
        for (int slash = key.indexOf('/', key.indexOf("://") + 3); slash >= 0 && slash < key.length() - 1; slash = key.indexOf('/', slash + 1)) {
            RegisteredAsset enclosing = assets.get(key.substring(0, slash + 1));
            if (enclosing != null) {
                return Optional.of(enclosing);
            }
        }
        return Optional.empty();
    }

    private static String key(Location location)
    {
        String text = location.toString();
        return text.endsWith("/") ? text : text + "/";
    }
}
