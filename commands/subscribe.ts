import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

/** The longest topic query accepted (the query language's own limit). */
export const TOPIC_MAX_LENGTH = 300;

const minUpvotes = {
  type: ApplicationCommandOptionType.Integer,
  name: 'min_upvotes',
  description: 'Only papers with at least this many upvotes',
  min_value: 0,
  max_value: 100_000,
} as const;

/** /subscribe: channel setup. Hidden from members without Manage Channels, and checked again at run time. */
export const subscribeCommand = {
  type: ApplicationCommandType.ChatInput,
  name: 'subscribe',
  description: 'Set up Daily Papers deliveries in this channel',
  contexts: [InteractionContextType.Guild],
  default_member_permissions: PermissionFlagsBits.ManageChannels.toString(),
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'add',
      description: 'Deliver papers here; with a topic, only papers matching it (no topic: the whole list)',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'topic',
          description: 'A search query, e.g. diffusion video, "state space model", author:"Yann LeCun", org:nvidia',
          max_length: TOPIC_MAX_LENGTH,
        },
        minUpvotes,
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'remove',
      description: 'Remove a topic from this channel (or unsubscribe it)',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'topic',
          description: 'One of this channel’s topics',
          required: true,
          autocomplete: true,
          max_length: TOPIC_MAX_LENGTH,
        },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'Topics and schedule of this channel' },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'schedule',
      description: 'When and how this channel gets its papers',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'time',
          description: 'Local time, HH:MM (24 h), e.g. 09:00',
          min_length: 4,
          max_length: 5,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'timezone',
          description: 'IANA timezone, e.g. Europe/Berlin',
          autocomplete: true,
          max_length: 64,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'days',
          description: 'Which days',
          choices: [
            { name: 'weekdays', value: 'weekdays' },
            { name: 'every day', value: 'every-day' },
          ],
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'mode',
          description: 'One digest, one message per paper, or a thread per paper',
          choices: [
            { name: 'digest', value: 'digest' },
            { name: 'per-paper', value: 'per-paper' },
            { name: 'thread', value: 'thread' },
          ],
        },
        {
          type: ApplicationCommandOptionType.Integer,
          name: 'max_papers',
          description: 'At most this many papers per delivery (1-25)',
          min_value: 1,
          max_value: 25,
        },
        minUpvotes,
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'pause', description: 'Stop deliveries here until resumed' },
    { type: ApplicationCommandOptionType.Subcommand, name: 'resume', description: 'Resume deliveries here' },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'preview',
      description: 'See exactly what the next delivery would post here, and why',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'date',
          description: 'A list day instead: YYYY-MM-DD, today or yesterday',
          max_length: 10,
        },
      ],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
