package dev.datamesh.trino.loadtest;

import dev.datamesh.trino.TrinoServerProcess;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The load test's server: a coordinator alone, or, with workers, a coordinator that schedules no
 * work on itself and worker processes (one installation, each node with its own etc/, data folder
 * and port), each started by its own launcher; a worker can be restarted as a crash and a new
 * start would (SIGKILL, then a node with the same id).
 */
final class LoadCluster
        implements AutoCloseable
{
    private final String url;
    private final TrinoServerProcess coordinator;
    private final List<TrinoServerProcess> workers;
    private final Function<String, TrinoServerProcess.Builder> workerNode;

    private LoadCluster(String url, TrinoServerProcess coordinator, List<TrinoServerProcess> workers, Function<String, TrinoServerProcess.Builder> workerNode)
    {
        this.url = requireNonNull(url, "url is null");
        this.coordinator = requireNonNull(coordinator, "coordinator is null");
        this.workers = new CopyOnWriteArrayList<>(workers);
        this.workerNode = requireNonNull(workerNode, "workerNode is null");
    }

    /**
     * @param coordinatorNode the coordinator's builder
     * @param workerNode a worker's builder, by node id
     * @param answersQueries whether the coordinator answers the sample's queries
     */
    static LoadCluster start(String url, int workerCount, TrinoServerProcess.Builder coordinatorNode, Function<String, TrinoServerProcess.Builder> workerNode, Callable<Boolean> answersQueries)
            throws Exception
    {
        if (workerCount == 0) {
            return new LoadCluster(url, coordinatorNode.start(Duration.ofMinutes(3), answersQueries), List.of(), workerNode);
        }
        TrinoServerProcess coordinator = coordinatorNode.noWorkOnCoordinator().launch();
        List<TrinoServerProcess> workers = new ArrayList<>();
        LoadCluster cluster = new LoadCluster(url, coordinator, workers, workerNode);
        try {
            for (int worker = 1; worker <= workerCount; worker++) {
                cluster.workers.add(workerNode.apply(workerId(worker)).launch());
            }
            // the JVMs start side by side; ready once every worker is active and the mesh answers
            coordinator.awaitStarted(Duration.ofMinutes(3), () -> {
                for (TrinoServerProcess worker : cluster.workers) {
                    worker.checkRunning();
                }
                return cluster.activeWorkers() >= workerCount && answersQueries.call();
            });
        }
        catch (Throwable e) {
            try {
                cluster.close();
            }
            catch (Exception closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
        return cluster;
    }

    static String workerId(int worker)
    {
        return "data-mesh-worker-" + worker;
    }

    TrinoServerProcess coordinator()
    {
        return coordinator;
    }

    int workerCount()
    {
        return workers.size();
    }

    /**
     * Kills the worker (SIGKILL), waits, and starts a worker with the same node id, then returns
     * once the coordinator lists it as active again.
     *
     * @param worker 1 for the first worker
     */
    void restartWorker(int worker, Duration down)
            throws Exception
    {
        TrinoServerProcess dead = workers.get(worker - 1);
        dead.kill();
        Thread.sleep(down.toMillis());
        TrinoServerProcess restarted = workerNode.apply(workerId(worker)).launch();
        workers.set(worker - 1, restarted);
        // the dead one's launcher finds no process to stop: its folders go with the JVM's temporary ones
        coordinator.awaitStarted(Duration.ofMinutes(3), () -> {
            restarted.checkRunning();
            return activeWorkerIds().contains(workerId(worker)) && activeWorkers() >= workers.size();
        });
    }

    private int activeWorkers()
            throws SQLException
    {
        return activeWorkerIds().size();
    }

    private List<String> activeWorkerIds()
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", "olivia");
        List<String> nodes = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, properties);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT node_id FROM system.runtime.nodes WHERE state = 'active' AND NOT coordinator")) {
            while (rs.next()) {
                nodes.add(rs.getString(1));
            }
        }
        catch (SQLException e) {
            // the coordinator does not answer yet
            return List.of();
        }
        return nodes;
    }

    @Override
    public void close()
            throws Exception
    {
        List<TrinoServerProcess> nodes = new ArrayList<>(workers);
        nodes.add(coordinator);
        Exception failure = null;
        for (TrinoServerProcess node : nodes) {
            try {
                node.close();
            }
            catch (Exception | AssertionError e) {
                if (failure == null) {
                    failure = new Exception("cannot stop the load test's Trino nodes");
                }
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
