package dev.datamesh.trino.security;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableSetMultimap;
import io.airlift.log.Logger;
import io.trino.spi.security.GroupProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * Groups from a file, in the format of Trino's own file group provider: one line per group,
 * {@code group:user1,user2}; blank lines and lines starting with # are skipped. The file is read
 * again when it changes; a change that does not parse keeps the last valid groups (logged with
 * file and line), and at start-up stops the server.
 */
public final class MeshGroupProvider
        implements GroupProvider
{
    private static final Logger log = Logger.get(MeshGroupProvider.class);
    private static final Pattern NAME = Pattern.compile("[^\\s:,]+");

    private final Path file;
    private final long refreshNanos;
    private final ReentrantLock reloadLock = new ReentrantLock();
    private volatile State state;

    private record State(Map<String, Set<String>> groupsByUser, FileStamp stamp, long checkedAt) {}

    // an edit within the file system's timestamp granularity still changes the size, mostly
    private record FileStamp(FileTime modified, long size)
    {
        static FileStamp of(Path file)
                throws IOException
        {
            return new FileStamp(Files.getLastModifiedTime(file), Files.size(file));
        }
    }

    public MeshGroupProvider(MeshGroupsConfig config)
    {
        this.file = requireNonNull(config.getGroupsFile(), "groupsFile is null");
        this.refreshNanos = config.getRefreshPeriod().roundTo(NANOSECONDS);
        try {
            FileStamp stamp = FileStamp.of(file);
            this.state = new State(parse(file), stamp, System.nanoTime());
        }
        catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("Invalid group file: " + e.getMessage(), e);
        }
    }

    @Override
    public Set<String> getGroups(String user)
    {
        return current().getOrDefault(user, ImmutableSet.of());
    }

    private Map<String, Set<String>> current()
    {
        State current = state;
        if (System.nanoTime() - current.checkedAt() < refreshNanos) {
            return current.groupsByUser();
        }
        // one thread re-reads the file; the others keep the groups in force
        if (!reloadLock.tryLock()) {
            return current.groupsByUser();
        }
        try {
            current = state;
            if (System.nanoTime() - current.checkedAt() < refreshNanos) {
                return current.groupsByUser();
            }
            Map<String, Set<String>> groups = current.groupsByUser();
            FileStamp stamp = current.stamp();
            try {
                stamp = FileStamp.of(file);
                if (!stamp.equals(current.stamp())) {
                    groups = parse(file);
                    log.info("Reloaded groups from %s", file);
                }
            }
            catch (IOException | IllegalArgumentException e) {
                log.error("Keeping the last valid groups: %s", e.getMessage());
            }
            state = new State(groups, stamp, System.nanoTime());
            return groups;
        }
        finally {
            reloadLock.unlock();
        }
    }

    static Map<String, Set<String>> parse(Path file)
            throws IOException
    {
        ImmutableSetMultimap.Builder<String, String> groupsByUser = ImmutableSetMultimap.builder();
        List<String> problems = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String group = colon < 0 ? "" : line.substring(0, colon).strip();
            if (colon < 0 || !NAME.matcher(group).matches()) {
                problems.add("%s:%s: expected 'group:user1,user2', found '%s'".formatted(file, i + 1, line));
                continue;
            }
            for (String user : Splitter.on(',').trimResults().omitEmptyStrings().split(line.substring(colon + 1))) {
                if (!NAME.matcher(user).matches()) {
                    problems.add("%s:%s: '%s' is not a user name".formatted(file, i + 1, user));
                }
                groupsByUser.put(user, group);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return ImmutableMap.copyOf(groupsByUser.build().asMap().entrySet().stream()
                .collect(toImmutableMap(Map.Entry::getKey, entry -> ImmutableSet.copyOf(entry.getValue()))));
    }
}
