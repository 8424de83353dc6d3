package dev.datamesh.cli;

import dev.datamesh.storage.StorageSchemes;
import io.trino.filesystem.TrinoFileSystem;
import io.trino.spi.security.ConnectorIdentity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * Self-service tooling for the domains that publish data products: check descriptors, schemas
 * and policies before they reach the mesh (in a domain's CI), scaffold a descriptor from
 * existing data, and render the mesh's catalog as static HTML.
 */
@Command(
        name = "mesh",
        mixinStandardHelpOptions = true,
        version = "data mesh tools 1.0",
        description = "Self-service tools for data product owners.",
        subcommands = {ValidateCommand.class, InitCommand.class, DocsCommand.class})
public final class MeshCli
        implements Runnable
{
    @Spec
    private CommandSpec spec;

    public static void main(String[] args)
    {
        // the libraries report their progress at INFO; the commands say what matters
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * @return the exit code: 0 done, 1 problems found, 2 wrong usage
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err)
    {
        CommandLine commandLine = new CommandLine(new MeshCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine.execute(args);
    }

    /**
     * The file system the commands read data and descriptors with: local files only.
     */
    static TrinoFileSystem localFileSystem()
    {
        return StorageSchemes.localFiles().create(ConnectorIdentity.ofUser("mesh-cli"));
    }

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "Give a command: validate, init or docs");
    }
}
