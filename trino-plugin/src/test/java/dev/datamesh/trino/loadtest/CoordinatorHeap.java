package dev.datamesh.trino.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap a server process uses after a full garbage collection, through the JDK's jcmd:
 * GC.run (System.gc(), a full collection unless the server runs with
 * -XX:+ExplicitGCInvokesConcurrent), then GC.heap_info.
 */
final class CoordinatorHeap
{
    // G1: " garbage-first heap   total reserved 1048576K, committed 262144K, used 51234K [0x..."
    private static final Pattern HEAP = Pattern.compile("heap\\s+total (?:reserved \\d+K, )?(?:committed )?(\\d+)K, used (\\d+)K");
    // "   1:        920010       96056288  [B (java.base@25.0.3)": instances, bytes, class
    private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    record Heap(long usedBytes, long committedBytes)
    {
        @Override
        public String toString()
        {
            return "%d MB used (%d MB committed)".formatted(usedBytes >> 20, committedBytes >> 20);
        }
    }

    private CoordinatorHeap() {}

    static Heap afterFullGc(long pid)
            throws IOException, InterruptedException
    {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher matcher = HEAP.matcher(info);
        if (!matcher.find()) {
            throw new IllegalStateException("no heap figures in jcmd %s GC.heap_info:\n%s".formatted(pid, info));
        }
        return new Heap(Long.parseLong(matcher.group(2)) << 10, Long.parseLong(matcher.group(1)) << 10);
    }

    /**
     * What the heap holds by class, largest first (jcmd GC.class_histogram, itself after a full
     * collection): its text, the bytes of the mesh's own classes (dev.datamesh.*), and how many
     * queries' QueryInfo Trino keeps (each completed query's, for query.min-expire-age).
     */
    record Histogram(String text, long meshBytes, long queryInfos) {}

    static Histogram classHistogram(long pid)
            throws IOException, InterruptedException
    {
        String text = jcmd(pid, "GC.class_histogram");
        long meshBytes = 0;
        long queryInfos = 0;
        for (String line : text.lines().toList()) {
            Matcher matcher = HISTOGRAM_LINE.matcher(line);
            if (!matcher.find()) {
                continue;
            }
            if (matcher.group(3).startsWith("dev.datamesh.")) {
                meshBytes += Long.parseLong(matcher.group(2));
            }
            if (matcher.group(3).equals("io.trino.execution.QueryInfo")) {
                queryInfos = Long.parseLong(matcher.group(1));
            }
        }
        return new Histogram(text, meshBytes, queryInfos);
    }

    private static String jcmd(long pid, String command)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid), command)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("jcmd %s %s failed:\n%s".formatted(pid, command, output));
        }
        return output;
    }
}
