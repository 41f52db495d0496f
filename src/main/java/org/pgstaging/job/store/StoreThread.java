package org.pgstaging.job.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs every statement on one dedicated thread over one connection. Why: H2 writes through
 * FileChannel, and interrupting a thread in the middle of such a write closes the channel and
 * with it the whole database; the queue interrupts worker threads to cancel restores, so no caller
 * thread may ever touch the file. Callers wait uninterruptibly and get their interrupt flag back.
 */
final class StoreThread implements AutoCloseable {

    /** Work done with the connection; runs inside one transaction. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pgstaging-jobstore");
        t.setDaemon(true);
        return t;
    });
    private Connection connection;

    /** Opens the connection on the store thread, so even opening is safe from interrupts; replaces a broken one. */
    void open(Callable<Connection> opener) {
        call(() -> {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException broken) {
                    // it is being replaced because it broke
                }
            }
            connection = opener.call();
            connection.setAutoCommit(false);
            return null;
        });
    }

    /** One transaction: committed when {@code work} returns, rolled back when it throws. */
    <T> T transaction(String what, Work<T> work) {
        return call(() -> {
            if (connection == null) throw closed();
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(e);
                if (e instanceof SQLException sql) {
                    throw new JobStoreException("state database error while " + what + ": " + sql.getMessage(),
                            "check that the state_dir disk is writable and not full", sql);
                }
                throw e;
            }
        });
    }

    private void rollbackQuietly(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException r) {
            cause.addSuppressed(r);
        }
    }

    private <T> T call(Callable<T> work) {
        Future<T> future;
        try {
            future = thread.submit(work);
        } catch (RejectedExecutionException e) {
            throw closed();
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true; // finish waiting: the write happens anyway, the caller must know its outcome
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) throw re;
                    if (cause instanceof Error err) throw err;
                    throw new JobStoreException("state database error: " + cause.getMessage(),
                            "check the state_dir and the log", cause);
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static JobStoreException closed() {
        return new JobStoreException("the job store is closed", "open it again with JobStore.open(state_dir)");
    }

    @Override
    public void close() {
        try {
            call(() -> {
                if (connection != null) {
                    connection.close();
                    connection = null;
                }
                return null;
            });
        } catch (JobStoreException alreadyClosed) {
            // closing twice is harmless
        } finally {
            thread.shutdown();
            try {
                thread.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
