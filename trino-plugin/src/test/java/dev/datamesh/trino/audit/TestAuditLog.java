package dev.datamesh.trino.audit;

import io.airlift.units.DataSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

final class TestAuditLog
{
    @TempDir
    Path directory;

    @Test
    void testLinesAreOnDiskAsSoonAsWrittenAndFilesRotateBySize()
            throws IOException
    {
        Path file = directory.resolve("log/audit.json");
        // 3 lines of 10 bytes per file
        try (AuditLog log = new AuditLog(file, DataSize.ofBytes(30), 2)) {
            for (int i = 0; i < 10; i++) {
                log.append("line-%04d".formatted(i));
                // nothing buffered: every line can be read back at once
                assertThat(Files.readAllLines(file)).last().isEqualTo("line-%04d".formatted(i));
            }
        }
        assertThat(Files.readAllLines(file)).containsExactly("line-0009");
        assertThat(Files.readAllLines(file.resolveSibling("audit.json.1"))).containsExactly("line-0006", "line-0007", "line-0008");
        assertThat(Files.readAllLines(file.resolveSibling("audit.json.2"))).containsExactly("line-0003", "line-0004", "line-0005");
        // older files beyond the history are removed
        assertThat(file.resolveSibling("audit.json.3")).doesNotExist();
    }

    @Test
    void testAppendsToAnExistingFileAfterARestart()
            throws IOException
    {
        Path file = directory.resolve("audit.json");
        try (AuditLog log = new AuditLog(file, DataSize.ofBytes(1000), 2)) {
            log.append("before");
        }
        try (AuditLog log = new AuditLog(file, DataSize.ofBytes(1000), 2)) {
            log.append("after");
        }
        assertThat(Files.readAllLines(file)).containsExactly("before", "after");
    }
}
