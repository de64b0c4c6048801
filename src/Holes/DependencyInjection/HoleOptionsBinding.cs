using Holes.Capabilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Holes.DependencyInjection;

/// <summary>Binds <see cref="HoleOptions"/> from configuration and validates them for <see cref="IOptions{TOptions}"/>.</summary>
internal sealed class HoleOptionsBinding : IValidateOptions<HoleOptions>
{
    public static void Bind(IConfiguration? section, HoleOptions options)
    {
        if (section is null || !section.GetChildren().Any())
        {
            return;
        }

        // The default policy is one shared instance: bind a policy section into a fresh one, never into it.
        if (section.GetSection(nameof(HoleOptions.Policy)).Exists() && ReferenceEquals(options.Policy, CapabilityPolicy.Default))
        {
            options.Policy = new CapabilityPolicy();
        }

        section.Bind(options);
    }

    public ValidateOptionsResult Validate(string? name, HoleOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail(
                $"The Holes options (configuration section \"{HoleOptions.ConfigurationSectionName}\", or the AddHoles(...) callback) are invalid: {ex.Message}");
        }
    }
}
