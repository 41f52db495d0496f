package org.pgstaging.job.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
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
 * On PostgreSQL the one connection is also the one session holding the bot's {@link BotLock}.
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
    private final StateLocation where;
    private Callable<Connection> opener;
    private Connection connection;

    StoreThread(StateLocation where) {
        this.where = where;
    }

    /** Opens the connection on the store thread, so even opening is safe from interrupts; replaces a broken one. */
    void open(Callable<Connection> opener) {
        call(() -> {
            this.opener = opener;
            replace();
            return null;
        });
    }

    private void replace() throws Exception {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException broken) {
                // it is being replaced because it broke
            }
            connection = null;
        }
        connection = opener.call();
        connection.setAutoCommit(false);
    }

    /**
     * One transaction: committed when {@code work} returns, rolled back when it throws. A connection
     * found broken (the database restarted, the session was killed, the H2 file's server went away)
     * is replaced, and the work runs again on the new one when it broke before the commit: nothing of
     * it was kept then. A commit that broke is not run again: it may have been kept.
     */
    <T> T transaction(String what, Work<T> work) {
        return call(() -> {
            if (opener == null) throw closed();
            if (connection == null || connection.isClosed()) replace(); // broke earlier, or could not be replaced then
            try {
                return attempt(what, work);
            } catch (BrokenBeforeCommit broken) {
                replace();
                return attempt(what, work);
            }
        });
    }

    private <T> T attempt(String what, Work<T> work) throws BrokenBeforeCommit {
        T result;
        try {
            result = work.run(connection);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            if (e instanceof SQLException sql && broken(sql)) throw new BrokenBeforeCommit();
            throw failure(what, e);
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw failure(what, e);
        }
        return result;
    }

    /** Runs {@code work} on the store thread outside any transaction of this connection (migrations). */
    <T> T run(String what, Callable<T> work) {
        return call(() -> {
            if (opener == null) throw closed();
            try {
                return work.call();
            } catch (SQLException e) {
                throw failure(what, e);
            }
        });
    }

    private RuntimeException failure(String what, Exception e) {
        if (e instanceof SQLException sql) {
            return new JobStoreException("state database error while " + what + ": " + where.mask(sql.getMessage()),
                    where.troubleHint(), sql);
        }
        return (RuntimeException) e;
    }

    /** The connection itself failed, not the statement: SQLSTATE class 08, or the server ended the session (57P0x). */
    private boolean broken(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLNonTransientConnectionException || state.startsWith("08") || state.startsWith("57P0")) return true;
        try {
            return connection.isClosed();
        } catch (SQLException unknown) {
            return true;
        }
    }

    private static final class BrokenBeforeCommit extends Exception {
        BrokenBeforeCommit() {
            super(null, null, false, false);
        }
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
                    throw new JobStoreException("state database error: " + where.mask(cause.getMessage()),
                            where.troubleHint(), cause);
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static JobStoreException closed() {
        return new JobStoreException("the job store is closed", "open it again with JobStore.open");
    }

    @Override
    public void close() {
        try {
            call(() -> {
                opener = null;
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
