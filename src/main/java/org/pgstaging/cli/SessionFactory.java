package org.pgstaging.cli;

import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/** picocli's factory, plus the session handed to every command it creates. */
final class SessionFactory implements IFactory {
    private final Session session;

    SessionFactory(Session session) {
        this.session = session;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        K object = CommandLine.defaultFactory().create(cls);
        if (object instanceof BaseCommand command) command.session = session;
        return object;
    }
}
