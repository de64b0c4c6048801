namespace Holes.Analyzers.Tests;

/// <summary>Capability declarations the test programs share, written as a package consumer would.</summary>
internal static class TestTypes
{
    public const string Capabilities = """

        [Holes.Capability]
        public interface IMailbox
        {
            IReadOnlyList<string> Unread();
        }

        public sealed class Mailbox : IMailbox
        {
            public IReadOnlyList<string> Unread() => [];
        }

        [Holes.Capability]
        public interface ITickets
        {
            [Holes.TrustedSink]
            void File(string title, Holes.Classified<string> body);
        }

        [Holes.Capability]
        public interface IMailer
        {
            [Holes.Egress]
            void Send(string to, string body);

            int Queued { get; }
        }
        """;
}
