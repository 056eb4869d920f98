namespace PasswordHashSync.Sync;

/// <summary>Selective password hash sync (Entra Connect 1.6.2.4+): which users are chosen by <c>adminDescription</c>.</summary>
public enum SelectivePasswordHashSyncMode
{
    /// <summary>No selection: every user in the sync rule's scope is synchronized.</summary>
    None = 0,

    /// <summary>Users whose <c>adminDescription</c> is <c>PHSFiltered</c> are excluded; everyone else is synchronized.</summary>
    ExcludeFiltered = 1,

    /// <summary>Only users whose <c>adminDescription</c> is <c>PHSIncluded</c> are synchronized.</summary>
    IncludeOnly = 2,
}
