package dev.datamesh.trino.security;

import io.airlift.units.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestMeshGroupProvider
{
    @TempDir
    Path directory;

    @Test
    void testGroupsOfEachUser()
            throws IOException
    {
        Path file = directory.resolve("groups.txt");
        Files.writeString(file, """
                # comment
                analysts: alice, connor

                contractors:connor
                empty:
                """);
        MeshGroupProvider provider = new MeshGroupProvider(new MeshGroupsConfig().setGroupsFile(file).setRefreshPeriod(new Duration(1, MILLISECONDS)));
        assertThat(provider.getGroups("alice")).containsExactly("analysts");
        assertThat(provider.getGroups("connor")).containsExactlyInAnyOrder("analysts", "contractors");
        assertThat(provider.getGroups("eve")).isEmpty();
    }

    @Test
    void testEveryBadLineIsReported()
            throws IOException
    {
        Path file = directory.resolve("groups.txt");
        Files.writeString(file, """
                analysts:alice
                no colon here
                :bob
                ok:carol dave
                """);
        assertThatThrownBy(() -> new MeshGroupProvider(new MeshGroupsConfig().setGroupsFile(file)))
                .hasMessage("""
                        Invalid group file: %1$s:2: expected 'group:user1,user2', found 'no colon here'
                        %1$s:3: expected 'group:user1,user2', found ':bob'
                        %1$s:4: 'carol dave' is not a user name""".formatted(file));
        assertThatThrownBy(() -> new MeshGroupProvider(new MeshGroupsConfig().setGroupsFile(directory.resolve("missing.txt"))))
                .hasMessageStartingWith("Invalid group file: ");
    }
}
