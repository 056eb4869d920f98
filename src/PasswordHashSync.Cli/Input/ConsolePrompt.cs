using System.Text;

namespace PasswordHashSync.Cli.Input;

/// <summary>Reads a secret from the terminal with no echo.</summary>
internal static class ConsolePrompt
{
    /// <summary>Shows <paramref name="prompt"/> on standard error and reads keys until Enter, echoing nothing.</summary>
    /// <param name="prompt">The prompt text.</param>
    /// <returns>The characters typed.</returns>
    public static string ReadWithoutEcho(string prompt)
    {
        Console.Error.Write(prompt);
        var buffer = new StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (buffer.Length > 0)
                {
                    buffer.Length--;
                }
                continue;
            }
            if (key.KeyChar != '\0')
            {
                buffer.Append(key.KeyChar);
            }
        }
        Console.Error.WriteLine();
        string password = buffer.ToString();
        // Overwrite the builder's chunks: the string itself cannot be wiped, but the copies can.
        buffer.Clear().Append('\0', password.Length);
        return password;
    }
}
