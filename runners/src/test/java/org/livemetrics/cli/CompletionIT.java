package org.livemetrics.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The completion scripts load in a real bash and zsh and complete a command name and an option:
 * the completion function is called as the shell calls it, with COMP_WORDS/COMP_CWORD set.
 */
public class CompletionIT {
  private static final Path ROOT = Path.of(System.getProperty("livemetrics.root", ".."));

  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  private String shell(String shell, String script) throws Exception {
    Path out = temp.newFile().toPath();
    ProcessBuilder pb = new ProcessBuilder(shell, "-c", script).directory(ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("LIVEMETRICS_SKIP_BUILD", "1");
    pb.environment().put("LIVEMETRICS_JAVA_OPTS", "-Xmx512m");
    pb.environment().put("TMPDIR", temp.newFolder().toString());
    Process p = pb.start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(shell + " did not finish");
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static final String CALL = "complete_words() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1));"
      + " COMP_LINE=\"$*\"; COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _complete_livemetrics 2>/dev/null;"
      + " echo \"${COMPREPLY[*]}\"; }; ";

  @Test
  public void bashCompletesCommandsAndOptions() throws Exception {
    String out = shell("bash", "source <(bin/livemetrics completion bash) && " + CALL
        + "complete_words livemetrics que; complete_words livemetrics backfill --sto");
    assertEquals("query\n--store\n", out);
  }

  @Test
  public void zshLoadsTheScriptAndCompletesACommand() throws Exception {
    assumeTrue("zsh is installed (apt-get install zsh)", Files.isExecutable(Path.of("/usr/bin/zsh")));
    // zsh runs bash completion functions through bashcompinit; the script sets that up itself.
    // zsh filters the candidates by what was typed itself: the function offers them all.
    String out = shell("zsh", "autoload -U +X compinit && compinit -u; "
        + "source <(bin/livemetrics completion zsh) && complete -p livemetrics && "
        + "setopt KSH_ARRAYS; " + CALL + "complete_words livemetrics que;"
        + " complete_words livemetrics backfill --sto");
    List<String> lines = out.lines().toList();
    assertTrue(out, lines.contains("complete -F _complete_livemetrics -o default livemetrics"));
    assertTrue(out, lines.contains(
        "generate backfill stream replay demo query export serve videos completion help"));
    assertTrue(out, List.of(lines.get(lines.size() - 1).split(" ")).contains("--store"));
  }
}
