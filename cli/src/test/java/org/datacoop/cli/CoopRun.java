package org.datacoop.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One {@code coop} command run in process, as tests drive the command line: its exit status and what it printed. */
record CoopRun(int exit, String out, String err) {
    static CoopRun of(String... args) {
        var cli = Coop.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new CoopRun(exit, out.toString(), err.toString());
    }
}
